import { RequestError } from '../../errors/provider-error.js'
import type { ChatRequest } from '../chat-types.js'
import { isRecord } from '../transport/is-record.js'
import { toGeminiContents } from './gemini-convert-messages.js'
import { planGeminiOutput } from './gemini-output-plan.js'
import type { GeminiFunctionDeclaration, GeminiRequest } from './gemini-types.js'

type Json = Record<string, unknown>

/**
 * The canonical chat request → a Gemini `generateContent` body.
 *
 * Connection options read (`ai_connection` vendor settings):
 * - `safetySettings`: array sent as `safetySettings` on every call;
 * - `thinkingConfig`: object sent as `generationConfig.thinkingConfig` (the request may override);
 * - `structuredOutput`: how `response_format` is sent, `auto` (default), `responseJsonSchema`,
 *   `responseSchema` or `instruction` (see `planGeminiOutput`).
 *
 * Besides the OpenAI fields, the request may carry `top_k` and, as on Gemini's own OpenAI surface
 * (`extra_body`), `google: { thinking_config, cached_content, safety_settings }`.
 * Throws `RequestError` (400) for what Gemini cannot express.
 */
export function toGeminiRequest(
  request: ChatRequest,
  options: Readonly<Record<string, unknown>> = {},
): GeminiRequest {
  const body: GeminiRequest = toGeminiContents(request.messages)
  const google = isRecord(request.google) ? camelKeys(request.google) : {}
  const declarations = functionDeclarations(request.tools)
  const output = planGeminiOutput(request, options, declarations.length > 0)
  const config = { ...generationConfig(request), ...output.config }
  const thinking = google.thinkingConfig ?? options.thinkingConfig
  if (isRecord(thinking)) config.thinkingConfig = thinking
  if (Object.keys(config).length > 0) body.generationConfig = config
  if (output.instruction !== undefined) {
    const parts = [...(body.systemInstruction?.parts ?? []), { text: output.instruction }]
    body.systemInstruction = { parts }
  }
  if (declarations.length > 0) body.tools = [{ functionDeclarations: declarations }]
  const toolConfig = functionCallingConfig(request.tool_choice)
  if (toolConfig !== undefined) body.toolConfig = { functionCallingConfig: toolConfig }
  const safety = google.safetySettings ?? options.safetySettings
  if (Array.isArray(safety)) body.safetySettings = safety
  if (typeof google.cachedContent === 'string') body.cachedContent = google.cachedContent
  return body
}

function generationConfig(request: ChatRequest): Json {
  const config: Json = {}
  const set = (key: string, value: unknown): void => {
    if (typeof value === 'number' && Number.isFinite(value)) config[key] = value
  }
  set('temperature', request.temperature)
  set('topP', request.top_p)
  set('topK', request.top_k)
  set('maxOutputTokens', request.max_completion_tokens ?? request.max_tokens)
  set('candidateCount', request.n)
  set('presencePenalty', request.presence_penalty)
  set('frequencyPenalty', request.frequency_penalty)
  set('seed', request.seed)
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop
  if (Array.isArray(stop) && stop.length > 0) config.stopSequences = stop
  return config
}

function functionDeclarations(tools: unknown): GeminiFunctionDeclaration[] {
  if (tools === undefined || tools === null) return []
  if (!Array.isArray(tools)) throw badRequest('`tools` is not an array.')
  return tools.map((tool: unknown, index) => {
    const fn = isRecord(tool) && tool.type === 'function' ? tool.function : undefined
    if (!isRecord(fn) || typeof fn.name !== 'string') {
      throw badRequest(`tools[${index}] is not a function tool; Gemini takes only those here.`)
    }
    const declaration: GeminiFunctionDeclaration = { name: fn.name }
    if (typeof fn.description === 'string') declaration.description = fn.description
    // `parameters` only takes an OpenAPI subset and rejects `additionalProperties`, `$schema`
    // and the like; the JSON Schema variant accepts an OpenAI tool's schema unchanged.
    if (isRecord(fn.parameters)) declaration.parametersJsonSchema = fn.parameters
    return declaration
  })
}

type FunctionCallingConfig = NonNullable<GeminiRequest['toolConfig']>['functionCallingConfig']

function functionCallingConfig(choice: unknown): FunctionCallingConfig | undefined {
  if (choice === undefined || choice === null) return undefined
  if (choice === 'auto') return { mode: 'AUTO' }
  if (choice === 'required') return { mode: 'ANY' }
  if (choice === 'none') return { mode: 'NONE' }
  const fn = isRecord(choice) ? choice.function : undefined
  if (isRecord(fn) && typeof fn.name === 'string') {
    return { mode: 'ANY', allowedFunctionNames: [fn.name] }
  }
  throw badRequest('`tool_choice` is not "auto", "required", "none" or a named function.')
}

// `thinking_config.include_thoughts` → `thinkingConfig.includeThoughts`, at any depth.
function camelKeys(value: Json): Json {
  const result: Json = {}
  for (const [key, inner] of Object.entries(value)) {
    const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())
    result[camel] = isRecord(inner)
      ? camelKeys(inner)
      : Array.isArray(inner)
        ? inner.map((item: unknown) => (isRecord(item) ? camelKeys(item) : item))
        : inner
  }
  return result
}

function badRequest(message: string): RequestError {
  return new RequestError(`Cannot translate the request for gemini: ${message}`, { status: 400 })
}
