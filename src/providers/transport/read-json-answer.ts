import type { IncomingHttpHeaders } from 'node:http'
import { RequestError } from '../../errors/provider-error.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { mapTransportError } from './map-transport-error.js'
import type { TextAnswer } from './post-for-text.js'
import type { StreamingAnswer } from './post-to-provider.js'
import { redactAndCut } from './redact-and-cut.js'


/** The vendor's mapping of a non-2xx answer to a typed error. */
export type HttpErrorMapper = (
  providerId: string,
  status: number,
  headers: IncomingHttpHeaders,
  text: string,
  apiKey: string,
) => Error

/**
 * The vendor's check of a parsed 2xx answer: throws for a wrong shape (`notJsonAnswer`) or an
 * error payload, else returns the answer.
 */
export type AnswerCheck<T> = (
  raw: unknown,
  text: string,
  response: Pick<TextAnswer, 'statusCode' | 'headers'>,
  apiKey: string,
) => T

/**
 * Reads a whole JSON answer from a response whose body is still to be read; see `parseJsonAnswer`.
 */
export async function readJsonAnswer<T>(
  response: StreamingAnswer,
  providerId: string,
  options: ProviderCallOptions,
  mapError: HttpErrorMapper,
  check: AnswerCheck<T>,
): Promise<T> {
  let text: string
  try {
    text = await response.body.text()
  } catch (error) {
    throw mapTransportError(error, options.signal, providerId, options.target.apiKey)
  }
  const answer = { statusCode: response.statusCode, headers: response.headers, text }
  return parseJsonAnswer(answer, providerId, options, mapError, check)
}

/**
 * Checks a whole JSON answer: a non-2xx status goes through `mapError`, a body that is not JSON
 * throws `RequestError` (502), and the parsed value goes through `check`.
 */
export function parseJsonAnswer<T>(
  answer: TextAnswer,
  providerId: string,
  options: ProviderCallOptions,
  mapError: HttpErrorMapper,
  check: AnswerCheck<T>,
): T {
  const { apiKey } = options.target
  const { statusCode: status, text } = answer
  if (status < 200 || status >= 300) {
    throw mapError(providerId, status, answer.headers, text, apiKey)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw notJsonAnswer(providerId, status, text, apiKey, error)
  }
  return check(raw, text, answer, apiKey)
}

/** The `RequestError` (502) for an answer that is not JSON, or not the JSON expected. */
export function notJsonAnswer(
  providerId: string,
  status: number,
  text: string,
  apiKey: string,
  cause?: unknown,
): RequestError {
  const snippet = redactAndCut(text.trim(), apiKey, 200) || 'empty body'
  return new RequestError(
    `Provider ${providerId} returned a body that is not JSON (HTTP ${status}): ${snippet}`,
    { cause, status: 502 },
  )
}
