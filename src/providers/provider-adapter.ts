import type { CallSignal } from './call-signal.js'
import type { ChatChunk, ChatRequest, ChatResponse } from './chat-types.js'

/** What an adapter needs to reach one upstream account. Providers never see the database. */
export interface ProviderTarget {
  /** Provider id as stored in `ai_connection.provider` (`openai`, `openrouter`, `qdd`, `mock`, …). */
  provider: string
  /** `ai_connection.base_url`: a base (`…/v1`) or the full `…/chat/completions` URL. */
  baseUrl: string
  /** Plaintext key, decrypted in memory for this call only. */
  apiKey: string
  /** Extra headers for the vendor (workspace, attribution); never logged. */
  headers?: Record<string, string>
  /**
   * Vendor settings of the connection (e.g. `anthropicVersion`, `defaultMaxTokens`, `workspace`);
   * each adapter documents the ones it reads.
   */
  options?: Readonly<Record<string, unknown>>
}

export interface ProviderCallOptions {
  target: ProviderTarget
  request: ChatRequest
  /**
   * Aborts the HTTP exchange. The runner aborts with an `AiRunnerError` as the reason
   * (`NETWORK_TIMEOUT` for a timeout, `CANCELLED` for the caller); adapters rethrow that reason.
   */
  signal: CallSignal
}

export interface ProviderResult {
  response: ChatResponse
  httpStatus: number
  /** Raw upstream body as parsed JSON, for the audit row. */
  rawBody: unknown
}

export interface ProviderStreamResult {
  httpStatus: number
  /** Chunks in the canonical shape, in order. Throws a typed error when the stream fails. */
  chunks: AsyncIterable<ChatChunk>
}

/**
 * One upstream API behind the canonical OpenAI chat shape. Adapters translate the request, the
 * response, stream chunks and errors; they do not retry, log or read configuration.
 * Errors thrown are `ProviderHttpError`, `NetworkError`, `RequestError` or `CancelledError`.
 */
export interface ProviderAdapter {
  readonly id: string
  /** True when the adapter never leaves the process (the demo `mock`). */
  readonly local: boolean
  /**
   * True when the API keeps a conversation server-side under an id the request carries as
   * `session_id` and the answer returns as `session_id` (DashScope applications). The runner
   * sends a caller's session id to these adapters only.
   */
  readonly keepsSessions?: boolean
  /**
   * False when no call is cheap enough for a periodic health probe (a DashScope application runs
   * whole, however short the answer); absent means a one-token completion will do.
   */
  readonly probeable?: boolean
  doGenerate(options: ProviderCallOptions): Promise<ProviderResult>
  doStream(options: ProviderCallOptions): Promise<ProviderStreamResult>
}

