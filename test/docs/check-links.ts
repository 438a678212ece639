import { existsSync, readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-')
}

function anchorsOf(path: string): Set<string> {
  const headings = readFileSync(path, 'utf8').match(/^#{1,6} .*$/gm) ?? []
  return new Set(headings.map((heading) => slug(heading.replace(/^#+ /, ''))))
}

/**
 * Every relative link of a Markdown file that points at a file that does not exist, or at a
 * heading its target does not have; one line each, relative to `root`.
 */
export function brokenLinks(path: string, root: string): string[] {
  const problems: string[] = []
  const text = readFileSync(path, 'utf8').replace(/^```[\s\S]*?^```/gm, '')
  for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue
    const [file = '', anchor] = target.split('#')
    const destination = file === '' ? path : resolve(dirname(path), file)
    const where = `${relative(root, path)}: (${target})`
    if (!existsSync(destination)) problems.push(`${where} points at a missing file`)
    else if (anchor && destination.endsWith('.md') && !anchorsOf(destination).has(anchor)) {
      problems.push(`${where} points at a missing heading`)
    }
  }
  return problems
}
