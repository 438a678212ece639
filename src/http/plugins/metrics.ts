import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { BatchedCallLogWriterStats } from '../../audit/batched-call-log-writer.js'
import type { CallLogSink } from '../../audit/call-log-sink.js'
import type { CallLogEntry } from '../../store/repositories/call-log-repository.js'
import type { GatewayDeps } from '../gateway-deps.js'
import { RequestWindow } from './request-window.js'

/** What the metrics plugin collects, for `/metrics` and `/api/v1/status/metrics`. */
export interface GatewayMetrics {
  readonly registry: Registry
  readonly window: RequestWindow
  /** AI calls by status and provider since the process started. */
  calls(): Array<{ status: string; provider: string; count: number }>
  /** The audit writer's queue, when the sink is the batched writer. */
  audit(): BatchedCallLogWriterStats | undefined
}

const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
]

interface RouteCount {
  route: string
  status: string
  count: number
  time: Histogram.Internal<'route'>
}

type CallObserver = (entry: CallLogEntry) => void
const observers = new WeakMap<CallLogSink, Set<CallObserver>>()

/**
 * Every run hands its audit entry to the sink exactly once, whatever route started it, so
 * counting there matches `ai_call_logs`. The sink is wrapped once, whatever the number of apps.
 */
function observeCalls(sink: CallLogSink, observer: CallObserver): () => void {
  let set = observers.get(sink)
  if (!set) {
    const listeners = new Set<CallObserver>()
    set = listeners
    observers.set(sink, listeners)
    const write = sink.write.bind(sink)
    sink.write = (entry) => {
      for (const listener of listeners) listener(entry)
      return write(entry)
    }
  }
  set.add(observer)
  return () => set.delete(observer)
}

function auditStats(sink: CallLogSink): (() => BatchedCallLogWriterStats) | undefined {
  const stats = (sink as { stats?: unknown }).stats
  if (typeof stats !== 'function') return undefined
  return () => (stats as () => BatchedCallLogWriterStats).call(sink)
}

/**
 * Prometheus `/metrics` on a registry of its own: HTTP requests and durations by route pattern,
 * AI calls by status and provider, the audit queue, and the default process metrics. One
 * `onResponse` hook records each request.
 */
export function registerMetrics(app: FastifyInstance, deps: GatewayDeps): GatewayMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  // Request counts are plain numbers on the hot path, handed to prom-client only when scraped.
  const counts = new Map<string, RouteCount>()
  new Counter({
    name: 'ai_runner_http_requests_total',
    help: 'HTTP requests by route pattern and status code.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const { route, status, count } of counts.values()) this.inc({ route, status }, count)
    },
  })
  const durations = new Histogram({
    name: 'ai_runner_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern (to the last byte; streams included).',
    labelNames: ['route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  })
  const calls = new Map<string, { status: string; provider: string; count: number }>()
  new Counter({
    name: 'ai_runner_calls_total',
    help: 'AI calls (ai_call_logs rows) by status and provider.',
    labelNames: ['status', 'provider'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const { status, provider, count } of calls.values()) {
        this.inc({ status, provider }, count)
      }
    },
  })
  const sink = deps.context.sink
  const stats = auditStats(sink)
  if (stats) {
    new Gauge({
      name: 'ai_runner_audit_queue',
      help: 'Call-log entries queued in memory, not yet in the database or the spool file.',
      registers: [registry],
      collect() {
        this.set(stats().queued)
      },
    })
    new Gauge({
      name: 'ai_runner_audit_spooled',
      help: 'Call-log entries waiting in the spool file for the database.',
      registers: [registry],
      collect() {
        this.set(stats().spooled)
      },
    })
  }
  const unobserve = observeCalls(sink, (entry) => {
    const provider = entry.provider ?? 'none'
    const key = `${entry.status} ${provider}`
    const call = calls.get(key)
    if (call) call.count += 1
    else calls.set(key, { status: entry.status, provider, count: 1 })
  })

  const window = new RequestWindow()
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const status = reply.statusCode
    const key = `${status} ${route}`
    let entry = counts.get(key)
    if (!entry) {
      entry = { route, status: String(status), count: 0, time: durations.labels(route) }
      counts.set(key, entry)
    }
    const ms = reply.elapsedTime
    entry.count += 1
    entry.time.observe(ms / 1000)
    window.record(Date.now(), ms, status)
    done()
  })
  app.addHook('onClose', async () => unobserve())

  // A plugin of its own, so the route is added after the docs plugin that records routes.
  void app.register(async (scope) => {
    const schema = { summary: 'Prometheus metrics (text format)', tags: ['Operations'] }
    scope.get('/metrics', { schema }, async (_request, reply) => {
      const text = await registry.metrics()
      return reply.header('content-type', registry.contentType).send(text)
    })
  })

  return {
    registry,
    window,
    calls: () => [...calls.values()].map((call) => ({ ...call })),
    audit: () => stats?.(),
  }
}
