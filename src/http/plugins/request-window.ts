import { percentile } from '../../store/repositories/performance-report-repository.js'

export interface RequestWindowSnapshot {
  /** Since the process started. */
  total: { requests: number; client_errors: number; server_errors: number }
  /** Over the last `window_seconds` (at most `capacity` requests). */
  window_seconds: number
  window: {
    requests: number
    client_errors: number
    server_errors: number
    error_rate: number
    latency_ms: { p50: number | null; p95: number | null; p99: number | null; max: number | null }
  }
}

/**
 * The latest HTTP requests in a fixed ring (time, duration, status): recording is three array
 * writes, and percentiles are computed only when asked for. No database involved.
 */
export class RequestWindow {
  readonly #times: Float64Array
  readonly #durations: Float64Array
  readonly #statuses: Uint16Array
  readonly #windowMs: number
  #next = 0
  #size = 0
  #requests = 0
  #clientErrors = 0
  #serverErrors = 0

  constructor(options: { capacity?: number; windowMs?: number } = {}) {
    const capacity = options.capacity ?? 10_000
    this.#times = new Float64Array(capacity)
    this.#durations = new Float64Array(capacity)
    this.#statuses = new Uint16Array(capacity)
    this.#windowMs = options.windowMs ?? 300_000
  }

  record(nowMs: number, durationMs: number, status: number): void {
    const at = this.#next
    this.#times[at] = nowMs
    this.#durations[at] = durationMs
    this.#statuses[at] = status
    this.#next = at + 1 === this.#times.length ? 0 : at + 1
    if (this.#size < this.#times.length) this.#size += 1
    this.#requests += 1
    if (status >= 500) this.#serverErrors += 1
    else if (status >= 400) this.#clientErrors += 1
  }

  snapshot(nowMs: number): RequestWindowSnapshot {
    const from = nowMs - this.#windowMs
    const durations: number[] = []
    let clientErrors = 0
    let serverErrors = 0
    for (let i = 0; i < this.#size; i++) {
      if ((this.#times[i] ?? 0) < from) continue
      durations.push(this.#durations[i] ?? 0)
      const status = this.#statuses[i] ?? 0
      if (status >= 500) serverErrors += 1
      else if (status >= 400) clientErrors += 1
    }
    durations.sort((a, b) => a - b)
    const ms = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000)
    const requests = durations.length
    return {
      total: {
        requests: this.#requests,
        client_errors: this.#clientErrors,
        server_errors: this.#serverErrors,
      },
      window_seconds: this.#windowMs / 1000,
      window: {
        requests,
        client_errors: clientErrors,
        server_errors: serverErrors,
        error_rate: requests && Math.round(((clientErrors + serverErrors) / requests) * 1e4) / 1e4,
        latency_ms: {
          p50: ms(percentile(durations, 50)),
          p95: ms(percentile(durations, 95)),
          p99: ms(percentile(durations, 99)),
          max: ms(durations.at(-1) ?? null),
        },
      },
    }
  }
}
