import { readFileSync } from 'node:fs'

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The info string's first word (`ts`, `bash`, …), or '' when there is none. */
  language: string
  code: string
  /** 1-based line of the block's first code line in the file. */
  line: number
}

/** Every fenced (```) code block of a Markdown file, in order. */
export function readCodeBlocks(path: string | URL): CodeBlock[] {
  const lines = readFileSync(path, 'utf8').split('\n')
  const blocks: CodeBlock[] = []
  let open: { language: string; start: number; body: string[] } | undefined
  lines.forEach((text, index) => {
    const fence = /^```(\S*)/.exec(text)
    if (!open && fence) {
      open = { language: fence[1] ?? '', start: index + 2, body: [] }
    } else if (open && text.startsWith('```')) {
      blocks.push({ language: open.language, code: open.body.join('\n'), line: open.start })
      open = undefined
    } else if (open) {
      open.body.push(text)
    }
  })
  return blocks
}
