import { dumpSchema } from '../../../store/schema-dump/dump-schema.js'
import { renderSchemaMarkdown } from '../../../config-as-code/render-schema-markdown.js'
import { defineCommand } from '../../command-definition.js'
import { writeOutputFile } from './cfg-output.js'

/** `ai-runner cfg dump-schema`: read-only schema documentation (Markdown + JSON). */
export const cfgDumpSchemaCommand = defineCommand({
  path: ['cfg', 'dump-schema'],
  description: 'Document the ai_* tables as Markdown and JSON (read-only: SHOW / catalog reads)',
  configure: (command) =>
    command
      .option('--db <name>', 'MySQL database / PostgreSQL schema to read (default: connected)')
      .option('--prefix <prefix>', 'only tables whose name starts with this', 'ai_')
      .option('--out <file>', 'write the Markdown to this file (folders are created)')
      .option('--json [file]', 'write the JSON dump to this file (the original spelling); alone: print JSON')
      .option('--json-file <file>', 'write the JSON dump to this file'),
  async run({ options }, session, io) {
    const store = session.store({ pepper: false })
    const database = options.db as string | undefined
    const prefix = String(options.prefix)
    const dump = await dumpSchema(store, { prefix, ...(database ? { database } : {}) })
    const markdown = renderSchemaMarkdown(dump)
    const out = options.out as string | undefined
    const jsonFile =
      (options.jsonFile as string | undefined) ?? (typeof options.json === 'string' ? options.json : undefined)
    const notes: string[] = []
    const written: Record<string, string> = {}
    if (out) {
      written.out = await writeOutputFile(io, out, markdown)
      notes.push(`Wrote the Markdown schema of ${dump.tables.length} table(s) to ${out}.`)
    }
    if (jsonFile) {
      written.json = await writeOutputFile(io, jsonFile, JSON.stringify(dump, null, 2))
      notes.push(`Wrote the JSON schema to ${jsonFile}.`)
    }
    const tables = dump.tables.map((table) => table.name)
    const summary = { database: dump.database, dialect: dump.dialect, tables, ...written }
    return {
      data: jsonFile ? summary : dump,
      text: out ? notes.join('\n') : [markdown, ...notes].join('\n'),
    }
  },
})
