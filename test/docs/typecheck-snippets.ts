import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import type { CodeBlock } from './markdown-code-blocks.js'

/** A code block and the document it comes from (for messages: `README.md:42: …`). */
export interface Snippet extends CodeBlock {
  document: string
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Type-checks code blocks as a user's ESM modules would be, with `ai-runner` and
 * `ai-runner/client` resolved to this repository's sources and every other package to its
 * node_modules. Returns one line per diagnostic, pointing at the Markdown line.
 */
export function typecheckSnippets(snippets: readonly Snippet[]): string[] {
  const files = new Map(snippets.map((snippet, index) => [join(ROOT, 'docs-snippets', `snippet-${index + 1}.mts`), snippet]))
  const options: ts.CompilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    baseUrl: ROOT,
    paths: { 'ai-runner': ['src/index.ts'], 'ai-runner/client': ['src/client.ts'] },
  }
  const host = ts.createCompilerHost(options)
  const source = (path: string) => {
    const block = files.get(path)
    return block ? `${block.code}\nexport {}\n` : undefined
  }
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (path, language, ...rest) => {
    const text = source(path)
    return text === undefined ? getSourceFile(path, language, ...rest) : ts.createSourceFile(path, text, language, true)
  }
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (path) => files.has(path) || fileExists(path)
  const readFile = host.readFile.bind(host)
  host.readFile = (path) => source(path) ?? readFile(path)

  const program = ts.createProgram([...files.keys()], options, host)
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && files.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const file = diagnostic.file as ts.SourceFile
      const snippet = files.get(file.fileName) as Snippet
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      return `${snippet.document}:${snippet.line + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
    })
}
