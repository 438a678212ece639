import { AiRunnerError } from '../errors/ai-runner-error.js'
import { OutputError } from '../errors/output-error.js'
import { ProviderHttpError } from '../errors/provider-error.js'
import type { CallSignal } from '../providers/call-signal.js'
import type { ChatResponse } from '../providers/chat-types.js'
import { addUsage, answerUsage } from './answer-usage.js'
import { attemptsOf, callWithRetries, type RetryPolicy } from './call-with-retries.js'
import { collectStream, type StreamProgress } from './collect-stream.js'
import { checkOutput } from './output-checks.js'
import type { NormalizedUsage } from './normalize-usage.js'
import type { PreparedCall } from './prepare-call.js'
import type { RunOptions } from './run-options.js'

export interface ExecutedCall {
  response: ChatResponse
  httpStatus: number
  rawBody: unknown
  parsed: unknown
  attempts: number
  ttftMs: number | null
}

/** State a failed call leaves behind for its audit row. */
export interface ExecutionTrace {
  attempts: number
  httpStatus: number
  rawBody: unknown
  ttftMs: number | null
  /** Text had already reached the caller when the stream failed. */
  partial: boolean
  /** Tokens of every answer received, including those an output check refused; null before any. */
  usage: NormalizedUsage | null
}

/**
 * Sends the call with retries, then checks the output; an answer that fails a check is asked for
 * again up to `checks.outputRetries` times. A stream that fails after text went out is not retried.
 */
export async function executeCall(
  prepared: PreparedCall,
  options: {
    policy: RetryPolicy
    signal?: CallSignal
    onDelta?: (text: string) => void
    onChunk?: RunOptions['onChunk']
    elapsedMs: () => number
    trace: ExecutionTrace
  },
): Promise<ExecutedCall> {
  const { adapter, target, assembled } = prepared
  const { trace } = options
  const streaming = assembled.body.stream === true
  for (let outputTry = 0; ; outputTry++) {
    const progress: StreamProgress = { firstTextAtMs: null, delivered: false }
    let result: { value: { response: ChatResponse; httpStatus: number; rawBody: unknown }; attempts: number }
    try {
      result = await callWithRetries(
        async (_attempt, signal) => {
          if (!streaming) return adapter.doGenerate({ target, request: assembled.body, signal })
          const stream = await adapter.doStream({ target, request: assembled.body, signal })
          trace.httpStatus = stream.httpStatus
          try {
            const response = await collectStream(stream.chunks, {
              onDelta: options.onDelta,
              onChunk: options.onChunk,
              progress,
              elapsedMs: options.elapsedMs,
            })
            return { response, httpStatus: stream.httpStatus, rawBody: response }
          } catch (error) {
            if (!progress.delivered || !(error instanceof AiRunnerError)) throw error
            trace.partial = true
            throw new AiRunnerError(error.code, error.message, { status: error.status, retryable: false, cause: error })
          }
        },
        options.policy,
        { signal: options.signal },
      )
    } catch (error) {
      trace.attempts += attemptsOf(error)
      trace.ttftMs = progress.firstTextAtMs
      if (error instanceof ProviderHttpError) trace.httpStatus = error.status ?? 0
      throw error
    }
    trace.attempts += result.attempts
    trace.httpStatus = result.value.httpStatus
    trace.rawBody = result.value.rawBody
    trace.ttftMs = progress.firstTextAtMs
    trace.usage = addUsage(trace.usage, answerUsage(result.value.response, assembled.body))
    const content = result.value.response.choices[0]?.message.content ?? null
    try {
      const { parsed } = checkOutput(content, assembled.checks)
      const { response, httpStatus, rawBody } = result.value
      const ttftMs = progress.firstTextAtMs
      return { response, httpStatus, rawBody, parsed, attempts: trace.attempts, ttftMs }
    } catch (error) {
      if (!(error instanceof OutputError) || outputTry >= assembled.checks.outputRetries) throw error
    }
  }
}
