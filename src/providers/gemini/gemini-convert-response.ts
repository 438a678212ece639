import { ProviderHttpError, RequestError } from '../../errors/provider-error.js'
import type { ChatChoice, ChatResponse, ChatUsage } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import { isRecord } from '../transport/is-record.js'
import { redactAndCut } from '../transport/redact-and-cut.js'
import type { GeminiChatToolCall } from './gemini-convert-messages.js'
import type { GeminiPart, GeminiResponse } from './gemini-types.js'

/** Hands out the made-up tool call ids (`call_0`, `call_1`, …) of one answer or stream. */
export interface CallCounter {
  next: number
}

/** What one candidate's parts say, in canonical form. */
export interface ConvertedParts {
  text: string | undefined
  reasoning: string | undefined
  toolCalls: GeminiChatToolCall[]
}

const FILTER_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII'])

/**
 * A Gemini `generateContent` answer → a `ChatResponse`: one choice per candidate, text parts
 * joined, thought parts in `reasoning_content`, function calls as `tool_calls` with made-up ids.
 * A prompt blocked before any candidate throws `ProviderHttpError` 400.
 */
export function toGeminiChatResponse(
  raw: GeminiResponse,
  fallbackModel: string,
  providerId: string,
  apiKey: string,
): ChatResponse {
  const candidates = Array.isArray(raw.candidates) ? raw.candidates : []
  if (candidates.length === 0) {
    throw raw.promptFeedback?.blockReason !== undefined
      ? blockedPromptError(raw, providerId, apiKey)
      : new RequestError(`Provider ${providerId} returned an answer without candidates.`, {
          status: 502,
        })
  }
  const counter: CallCounter = { next: 0 }
  const choices = candidates.map((candidate, position): ChatChoice => {
    const parts = convertParts(candidate.content?.parts, counter)
    const message: ChatChoice['message'] = { role: 'assistant', content: parts.text ?? null }
    if (parts.reasoning !== undefined) message.reasoning_content = parts.reasoning
    if (parts.toolCalls.length > 0) message.tool_calls = parts.toolCalls
    const reason = candidate.finishReason ?? 'STOP'
    return {
      index: typeof candidate.index === 'number' ? candidate.index : position,
      message,
      finish_reason: mapGeminiFinishReason(reason, parts.toolCalls.length > 0),
    }
  })
  const response: ChatResponse = {
    id: nonEmpty(raw.responseId) ?? newCompletionId(),
    object: 'chat.completion',
    created: nowSeconds(),
    model: nonEmpty(raw.modelVersion) ?? fallbackModel,
    choices,
  }
  const usage = toChatUsage(raw.usageMetadata)
  if (usage !== undefined) response.usage = usage
  return response
}

/** Splits parts into text, thought text and tool calls; unknown part kinds are skipped. */
export function convertParts(parts: unknown, counter: CallCounter): ConvertedParts {
  const result: ConvertedParts = { text: undefined, reasoning: undefined, toolCalls: [] }
  if (!Array.isArray(parts)) return result
  for (const part of parts as unknown[]) {
    if (!isRecord(part)) continue
    const { text, thought, functionCall, thoughtSignature } = part as GeminiPart
    if (typeof text === 'string') {
      if (thought === true) result.reasoning = (result.reasoning ?? '') + text
      else result.text = (result.text ?? '') + text
    } else if (isRecord(functionCall) && typeof functionCall.name === 'string') {
      const call: GeminiChatToolCall = {
        id: `call_${counter.next++}`,
        type: 'function',
        function: { name: functionCall.name, arguments: JSON.stringify(functionCall.args ?? {}) },
      }
      if (typeof thoughtSignature === 'string' && thoughtSignature !== '') {
        call.extra_content = { google: { thought_signature: thoughtSignature } }
      }
      result.toolCalls.push(call)
    }
  }
  return result
}

/**
 * Gemini `finishReason` → OpenAI `finish_reason`. `MALFORMED_FUNCTION_CALL`, `OTHER` and other
 * reasons without an OpenAI counterpart become `stop`; the raw answer keeps the original.
 */
export function mapGeminiFinishReason(reason: string, hasToolCalls: boolean): string {
  if (reason === 'MAX_TOKENS') return 'length'
  if (FILTER_REASONS.has(reason) || reason.startsWith('IMAGE_')) return 'content_filter'
  return hasToolCalls ? 'tool_calls' : 'stop'
}

/**
 * `usageMetadata` → OpenAI usage. Tool-use prompt tokens count as prompt and thoughts as
 * completion (they are billed as output); undefined when no count is present.
 */
export function toChatUsage(metadata: unknown): ChatUsage | undefined {
  if (!isRecord(metadata)) return undefined
  const count = (key: string): number | undefined => {
    const value = metadata[key]
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined
  }
  const prompt = count('promptTokenCount')
  const candidates = count('candidatesTokenCount')
  const thoughts = count('thoughtsTokenCount')
  if (prompt === undefined && candidates === undefined && thoughts === undefined) return undefined
  const promptTokens = (prompt ?? 0) + (count('toolUsePromptTokenCount') ?? 0)
  const completionTokens = (candidates ?? 0) + (thoughts ?? 0)
  const usage: ChatUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  }
  const cached = count('cachedContentTokenCount')
  if (cached !== undefined) usage.prompt_tokens_details = { cached_tokens: cached }
  if (thoughts !== undefined) usage.completion_tokens_details = { reasoning_tokens: thoughts }
  return usage
}

/** The error for a prompt Gemini blocked (`promptFeedback.blockReason`, no candidates). */
export function blockedPromptError(
  raw: GeminiResponse,
  providerId: string,
  apiKey: string,
): ProviderHttpError {
  const feedback = raw.promptFeedback ?? {}
  const reason = String(feedback.blockReason ?? 'BLOCK_REASON_UNSPECIFIED')
  const why = nonEmpty(feedback.blockReasonMessage)
  const detail = why === undefined ? '' : `: ${redactAndCut(why, apiKey, 300)}`
  return new ProviderHttpError(
    `Provider ${providerId} blocked the prompt (content blocked, ${reason})${detail}`,
    {
      status: 400,
      responseBody: redactAndCut(JSON.stringify({ promptFeedback: feedback }), apiKey, 2048),
      hint: 'Rephrase the prompt, or relax the safetySettings of this connection.',
    },
  )
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
