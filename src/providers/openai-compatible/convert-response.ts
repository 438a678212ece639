import { RequestError } from '../../errors/provider-error.js'
import type { ChatChoice, ChatChunk, ChatResponse } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import { isRecord } from '../transport/is-record.js'

type Json = Record<string, unknown>

/** Fields a stream keeps stable across chunks when the vendor leaves them out. */
export interface ChunkDefaults {
  id: string
  created: number
  model: string
}

/**
 * Loose normalisation of a parsed answer into a `ChatResponse`: `id`, `object`, `created`,
 * `model` and `usage` may be missing; only `choices` is required. The input is not mutated (it is
 * the audit's raw body) but complete choices are shared with it, so treat both as read-only.
 * Unknown fields such as `reasoning_content` pass through.
 */
export function toChatResponse(raw: Json, fallbackModel: string, providerId: string): ChatResponse {
  if (!Array.isArray(raw.choices)) {
    throw new RequestError(`Provider ${providerId} returned an answer without a choices array.`, {
      status: 502,
    })
  }
  const response: ChatResponse = {
    ...raw,
    id: typeof raw.id === 'string' && raw.id !== '' ? raw.id : newCompletionId(),
    object: 'chat.completion',
    created: typeof raw.created === 'number' ? raw.created : nowSeconds(),
    model: typeof raw.model === 'string' && raw.model !== '' ? raw.model : fallbackModel,
    choices: raw.choices.map((choice: unknown, index) => toChoice(choice, index, providerId)),
  }
  if (isRecord(raw.usage)) {
    const usage = raw.usage
    if (typeof usage.total_tokens !== 'number') {
      const total = num(usage.prompt_tokens) + num(usage.completion_tokens)
      response.usage = { ...usage, total_tokens: total } as ChatResponse['usage']
    }
  } else {
    delete response.usage
  }
  return response
}

function toChoice(value: unknown, index: number, providerId: string): ChatChoice {
  if (!isRecord(value)) {
    throw new RequestError(`Provider ${providerId} returned a choice that is not an object.`, {
      status: 502,
    })
  }
  const message = isRecord(value.message) ? value.message : {}
  if (
    typeof value.index === 'number' &&
    value.finish_reason !== undefined &&
    message.role === 'assistant' &&
    message.content !== undefined
  ) {
    return value as unknown as ChatChoice
  }
  return {
    ...value,
    index: typeof value.index === 'number' ? value.index : index,
    message: { ...message, role: 'assistant', content: (message.content ?? null) as string | null },
    finish_reason: (value.finish_reason ?? null) as string | null,
  }
}

/**
 * Normalises a parsed stream event into a `ChatChunk` in place (the object is fresh from
 * `JSON.parse`, so nobody else holds it).
 */
export function toChatChunk(raw: Json, defaults: ChunkDefaults): ChatChunk {
  if (typeof raw.id !== 'string' || raw.id === '') raw.id = defaults.id
  raw.object = 'chat.completion.chunk'
  if (typeof raw.created !== 'number') raw.created = defaults.created
  if (typeof raw.model !== 'string' || raw.model === '') raw.model = defaults.model
  if (!Array.isArray(raw.choices)) {
    raw.choices = []
  } else {
    const choices = raw.choices as unknown[]
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i]
      if (!isRecord(choice)) {
        choices[i] = { index: i, delta: {}, finish_reason: null }
        continue
      }
      if (typeof choice.index !== 'number') choice.index = i
      if (!isRecord(choice.delta)) choice.delta = {}
      if (choice.finish_reason === undefined) choice.finish_reason = null
    }
  }
  return raw as unknown as ChatChunk
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0
}
