import type { ChatRequest } from '../chat-types.js'
import { isRecord } from '../transport/is-record.js'
import { toGeminiOpenApiSchema } from './gemini-openapi-schema.js'

type Json = Record<string, unknown>

const MODES = ['auto', 'responseJsonSchema', 'responseSchema', 'instruction'] as const

/**
 * `structuredOutput` in the connection's settings: which Gemini form a JSON response format
 * takes. `auto` chooses by model (see `planGeminiOutput`).
 */
export type GeminiOutputMode = (typeof MODES)[number]

/** What a JSON response format adds to the request: `generationConfig` fields or a system text. */
export interface GeminiOutputPlan {
  config?: Json
  instruction?: string
}

const JSON_ONLY =
  'Answer with one JSON object and nothing else: no text before or after it, no code fences.'

/**
 * The Gemini form of `response_format` (`json_object`, or `json_schema` with or without a
 * schema):
 * - `responseJsonSchema`: `responseMimeType: "application/json"` and the schema as sent;
 * - `responseSchema`: the MIME type and the schema turned into the OpenAPI subset;
 * - `instruction`: no JSON fields, a system instruction to answer JSON (with the schema).
 *
 * `auto` takes `responseJsonSchema`, `responseSchema` for models before Gemini 2.5, and
 * `instruction` when the request declares functions on a model before Gemini 3, which answers a
 * JSON MIME type next to function calling with 400. A model name without a version number is
 * taken to be current.
 */
export function planGeminiOutput(
  request: ChatRequest,
  options: Readonly<Record<string, unknown>>,
  declaresFunctions: boolean,
): GeminiOutputPlan {
  const format: unknown = request.response_format
  if (!isRecord(format) || (format.type !== 'json_object' && format.type !== 'json_schema')) {
    return {}
  }
  const spec = format.type === 'json_schema' ? format.json_schema : undefined
  const schema = isRecord(spec) && isRecord(spec.schema) ? spec.schema : undefined
  const mode = chooseMode(options.structuredOutput, request.model, declaresFunctions)
  if (mode === 'instruction') {
    if (schema === undefined) return { instruction: JSON_ONLY }
    const text =
      'Answer with one JSON value and nothing else: no text before or after it, no code ' +
      `fences. It must be valid against this JSON Schema: ${JSON.stringify(schema)}`
    return { instruction: text }
  }
  const config: Json = { responseMimeType: 'application/json' }
  if (schema === undefined) return { config }
  if (mode === 'responseJsonSchema') return { config: { ...config, responseJsonSchema: schema } }
  const converted = toGeminiOpenApiSchema(schema)
  return { config: converted === undefined ? config : { ...config, responseSchema: converted } }
}

function chooseMode(option: unknown, model: string, declaresFunctions: boolean): GeminiOutputMode {
  const set = MODES.find((mode) => mode === option)
  if (set !== undefined && set !== 'auto') return set
  const version = geminiVersion(model)
  if (version === undefined) return 'responseJsonSchema'
  const [major, minor] = version
  if (declaresFunctions && major < 3) return 'instruction'
  return major < 2 || (major === 2 && minor < 5) ? 'responseSchema' : 'responseJsonSchema'
}

/** `gemini-2.5-flash` → [2, 5], `models/gemini-3-pro` → [3, 0]; undefined without a number. */
export function geminiVersion(model: string): [number, number] | undefined {
  const match = /^(?:models\/)?gemini-(\d+)(?:\.(\d+))?(?![\w.])/.exec(model)
  if (match === null) return undefined
  return [Number(match[1]), Number(match[2] ?? '0')]
}
