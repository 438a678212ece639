// The load generator: undici keep-alive pools, latencies in microseconds from
// process.hrtime.bigint(), closed loops (N connections) and an open loop at a fixed rate that
// measures from each request's scheduled send time (no coordinated omission).
import { Pool } from 'undici'

const now = () => process.hrtime.bigint()
const toUs = (ns) => Number(ns) / 1000
// The first SSE event whose delta carries text: `"content":"` followed by anything but `"`.
const CONTENT = /"content":"[^"]/

/**
 * A request description shared by every phase against one target.
 * @typedef {{ origin: string, path: string, headers: Record<string,string>, body: string,
 *   stream: boolean, counter: { sent: number, ok: number, failed: number } }} RequestSpec
 */

/** Sends one request and reads the whole answer; times are measured from `fromNs`. */
async function send(pool, spec, fromNs) {
  spec.counter.sent += 1
  let ttfcNs = 0n
  let ok = false
  let error
  try {
    const { statusCode, body } = await pool.request({
      path: spec.path,
      method: 'POST',
      headers: spec.headers,
      body: spec.body,
    })
    if (!spec.stream) {
      const text = await body.text()
      ok = statusCode === 200 && text.includes('"chat.completion"')
      if (!ok) error = `HTTP ${statusCode}: ${text.slice(0, 300)}`
    } else {
      let head = ''
      let tail = ''
      for await (const part of body) {
        const text = part.toString('latin1')
        if (ttfcNs === 0n) {
          head += text
          if (CONTENT.test(head)) {
            ttfcNs = now()
            head = ''
          }
        }
        tail = (tail + text).slice(-64)
      }
      ok = statusCode === 200 && ttfcNs !== 0n && tail.includes('data: [DONE]')
      if (!ok) {
        const missing = ttfcNs === 0n ? 'without content' : 'without [DONE]'
        error = `HTTP ${statusCode}: stream ${missing}: ${(head || tail).slice(0, 300)}`
      }
    }
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)
  }
  const endNs = now()
  if (ok) spec.counter.ok += 1
  else spec.counter.failed += 1
  const ttfcUs = ttfcNs === 0n ? NaN : toUs(ttfcNs - fromNs)
  return { ok, error, totalUs: toUs(endNs - fromNs), ttfcUs }
}

class Recorder {
  latencies = []
  ttfc = []
  errors = 0
  firstError = undefined

  add(result) {
    if (!result.ok) {
      this.errors += 1
      this.firstError ??= result.error
      return
    }
    this.latencies.push(result.totalUs)
    if (!Number.isNaN(result.ttfcUs)) this.ttfc.push(result.ttfcUs)
  }
}

/** Percentiles (nearest rank) of microsecond samples, reported in milliseconds. */
export function percentiles(samples) {
  const sorted = Float64Array.from(samples).sort()
  const n = sorted.length
  if (n === 0) return { n: 0, p50: null, p90: null, p99: null, p999: null, max: null, mean: null }
  const at = (p) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))] / 1000
  let sum = 0
  for (const value of sorted) sum += value
  const max = sorted[n - 1] / 1000
  return { n, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max, mean: sum / n / 1000 }
}

function summarize(recorder, startNs, endNs, extra = {}) {
  const seconds = Number(endNs - startNs) / 1e9
  return {
    // Monotonic µs, the clock of V8's .cpuprofile timestamps (for bench/cpuprofile-summary.mjs).
    window: { startUs: Number(startNs / 1000n), endUs: Number(endNs / 1000n) },
    requests: recorder.latencies.length,
    errors: recorder.errors,
    firstError: recorder.firstError,
    seconds: Number(seconds.toFixed(3)),
    rps: recorder.latencies.length / seconds,
    latencyMs: percentiles(recorder.latencies),
    ttfcMs: recorder.ttfc.length ? percentiles(recorder.ttfc) : undefined,
    ...extra,
  }
}

function openPool(spec, connections) {
  return new Pool(spec.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 })
}

/** Opens up to `connections` sockets (and warms them) with untimed concurrent requests. */
async function prime(pool, spec, connections) {
  for (let round = 0; round < 2; round++) {
    await Promise.all(Array.from({ length: connections }, () => send(pool, spec, now())))
  }
}

/**
 * `connections` workers, each sending its next request when the previous answer is complete,
 * for `seconds`. `onStart`/`onEnd` run right before the first and after the last timed request.
 */
export async function closedLoop(spec, { connections, seconds, onStart, onEnd }) {
  const pool = openPool(spec, connections)
  try {
    await prime(pool, spec, connections)
    const recorder = new Recorder()
    await onStart?.()
    const startNs = now()
    const deadline = startNs + BigInt(Math.round(seconds * 1e9))
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (now() < deadline) {
          const sentNs = now()
          recorder.add(await send(pool, spec, sentNs))
        }
      }),
    )
    const endNs = now()
    const extra = (await onEnd?.(recorder.latencies.length + recorder.errors)) ?? {}
    return summarize(recorder, startNs, endNs, { connections, ...extra })
  } finally {
    await pool.close()
  }
}

/**
 * Open loop: request i is due at start + i / rate. A setImmediate pacer sends every due request
 * (at most `maxInFlight` outstanding; later ones wait, and their wait counts), and each latency is
 * measured from the request's scheduled time. `sendLagMs` is how late the pacer itself was.
 */
export async function openLoop(spec, options) {
  const { rate, seconds, connections = 64, maxInFlight = 1000, graceSeconds = 10 } = options
  const pool = openPool(spec, connections)
  let outcome
  try {
    await prime(pool, spec, Math.min(connections, 8))
    const recorder = new Recorder()
    const total = Math.max(1, Math.round(rate * seconds))
    const intervalNs = 1e9 / rate
    const lags = new Float64Array(total)
    const startNs = now() + 1_000_000n
    let next = 0
    let inFlight = 0
    let maxSeenInFlight = 0
    let completed = 0
    let lastSendNs = startNs
    let finish
    const done = new Promise((resolve) => (finish = resolve))
    const timeout = setTimeout(() => finish('timeout'), (seconds + graceSeconds) * 1000)

    const tick = () => {
      const current = now()
      while (next < total && inFlight < maxInFlight) {
        const scheduledNs = startNs + BigInt(Math.round(next * intervalNs))
        if (scheduledNs > current) break
        lags[next] = toUs(current - scheduledNs)
        next += 1
        inFlight += 1
        if (inFlight > maxSeenInFlight) maxSeenInFlight = inFlight
        lastSendNs = current
        void send(pool, spec, scheduledNs).then((result) => {
          inFlight -= 1
          completed += 1
          recorder.add(result)
          if (completed === total) finish('done')
        })
      }
      if (next < total) setImmediate(tick)
    }
    setImmediate(tick)
    outcome = await done
    clearTimeout(timeout)
    const sentSeconds = Number(lastSendNs - startNs) / 1e9
    return summarize(recorder, startNs, now(), {
      targetRate: rate,
      scheduled: total,
      sent: next,
      unfinished: total - completed,
      timedOut: outcome === 'timeout',
      achievedSendRate: sentSeconds > 0 ? next / sentSeconds : null,
      maxInFlight: maxSeenInFlight,
      sendLagMs: percentiles(lags.subarray(0, next)),
    })
  } finally {
    // Requests still out after the grace period are abandoned, not waited for.
    await (outcome === 'timeout' ? pool.destroy() : pool.close())
  }
}
