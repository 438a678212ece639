// Turns the measurements into the comparison, the ✓/✗ checks against the targets and
// the printed report.

export const TARGET_NAMES = ['direct', 'passthrough', 'ai-runner']
export const MODE_NAMES = ['json', 'stream']
const MODE_LABEL = { json: 'non-streaming', stream: 'streaming' }
const PHASES = ['oneConnection', 'fixedRate', 'saturation']

const sub = (a, b) => (a == null || b == null ? null : a - b)
const ratio = (a, b) => (a == null || b == null || b === 0 ? null : a / b)
const get = (results, target, mode) => results.targets[target]?.modes?.[mode]

/** The numbers the table shows, per target and mode. */
function row(results, target, mode) {
  const m = get(results, target, mode)
  if (!m) return undefined
  const { oneConnection: c1, fixedRate: rate, saturation: sat } = m
  return {
    rps10: sat.rps,
    p50c1: c1.latencyMs.p50,
    p99c1: c1.latencyMs.p99,
    p50rate: rate.latencyMs.p50,
    p99rate: rate.latencyMs.p99,
    ttfcP50: c1.ttfcMs?.p50 ?? null,
    ttfcP99: c1.ttfcMs?.p99 ?? null,
    cpuUsPerReq: sat.cpuUsPerRequest ?? null,
    cpuBusy: sat.serverCpuBusy ?? null,
    rssMb: results.targets[target].peakRssMb ?? null,
  }
}

function difference(a, b) {
  return {
    addedP50At1cMs: sub(a.p50c1, b.p50c1),
    addedP99At1cMs: sub(a.p99c1, b.p99c1),
    addedP50AtRateMs: sub(a.p50rate, b.p50rate),
    addedP99AtRateMs: sub(a.p99rate, b.p99rate),
    addedTtfcP50Ms: sub(a.ttfcP50, b.ttfcP50),
    addedTtfcP99Ms: sub(a.ttfcP99, b.ttfcP99),
    throughputRatio: ratio(a.rps10, b.rps10),
  }
}

/**
 * Per mode: ai-runner minus each baseline (`vs direct`, `vs passthrough`), and the floor of any
 * separate gateway process on this machine (`passthrough vs direct`).
 */
export function compare(results) {
  const out = {}
  for (const mode of MODE_NAMES) {
    const [direct, passthrough, ai] = TARGET_NAMES.map((target) => row(results, target, mode))
    const entries = {}
    if (ai && direct) entries['vs direct'] = difference(ai, direct)
    if (ai && passthrough) entries['vs passthrough'] = difference(ai, passthrough)
    if (passthrough && direct) entries['passthrough vs direct'] = difference(passthrough, direct)
    if (Object.keys(entries).length) out[mode] = entries
  }
  return out
}

/**
 * The targets, each relative to the bare pass-through measured in the same run (the floor of any
 * Node gateway on this machine): throughput at least 75 % of it, CPU per call at most 1.4 times it
 * (1.3 times streaming), and p99 at one connection at most 0.5 ms over it. Each has its measured
 * value and pass (null when not measured); RSS is an absolute bound.
 */
export function checks(results, comparison) {
  const list = []
  const add = (name, value, op, limit, unit) => {
    const pass = value == null ? null : op === '≤' ? value <= limit : op === '<' ? value < limit : value >= limit
    list.push({ name, value: value ?? null, op, limit, unit, pass })
  }
  const cpuOf = (target, mode) => row(results, target, mode)?.cpuUsPerReq
  add(
    'non-streaming: throughput of the pass-through\'s @10 conn',
    comparison.json?.['vs passthrough']?.throughputRatio,
    '≥',
    0.75,
    'share',
  )
  const cpuLimit = { json: 1.4, stream: 1.3 }
  for (const mode of MODE_NAMES) {
    const label = MODE_LABEL[mode]
    const cpu = ratio(cpuOf('ai-runner', mode), cpuOf('passthrough', mode))
    add(`${label}: CPU per call, times the pass-through's`, cpu, '≤', cpuLimit[mode], 'times')
    add(`${label}: p99 @1 conn over the pass-through's`, comparison[mode]?.['vs passthrough']?.addedP99At1cMs, '≤', 0.5, 'ms')
  }
  add('gateway peak RSS (VmHWM)', results.targets['ai-runner']?.peakRssMb, '<', 200, 'MB')
  return list
}

const ms = (v) => (v == null ? '—' : v.toFixed(3))
const signedMs = (v) => (v == null ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`)
const int = (v) => (v == null ? '—' : Math.round(v).toLocaleString('en-US'))
const pct = (v) => (v == null ? '—' : `${(v * 100).toFixed(0)}%`)
const fixed = (v, digits) => (v == null ? '—' : v.toFixed(digits))

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const pad = (cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))
  const line = (cells) => cells.map(pad).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

function header(results) {
  const { settings, machine } = results
  const { seconds, rate } = settings
  const noise = machine.schedulerNoise
  const aiTarget = settings.aiModel === settings.model ? 'an ai_model.name call' : 'a config key'
  return [
    `ai-runner gateway benchmark — ${results.startedAt}`,
    `node ${machine.node}, ${machine.cpus} cores (${machine.cpuModel}); ` +
      (machine.pinned
        ? 'load generator + mock upstream pinned to core 0, passthrough/gateway to core 1 (taskset)'
        : `NOT PINNED: ${machine.pinNote}`),
    `scheduler noise before the run (idle spin on core 0, ${noise.seconds} s): ` +
      `${noise.stallsOver05ms} stalls > 0.5 ms, max ${noise.maxStallMs.toFixed(2)} ms — ` +
      'a floor under every p99 below',
    `phases: warm-up ${settings.warmupSeconds}s (discarded), 1 conn closed loop ${seconds}s, ` +
      `${rate} req/s open loop ${seconds}s (latency from scheduled send), ` +
      `10 conn closed loop ${seconds}s`,
    `request: ${settings.jsonBody}`,
    `ai-runner target: model "${settings.aiModel}" (${aiTarget}), SQLite audit via the batched ` +
      'writer; stream: 5 content chunks 2 ms apart + finish + usage + [DONE]',
    '',
  ]
}

function mainTable(results) {
  const rate = results.settings.rate
  const headers = ['mode', 'target', 'rps@10c', 'p50@1c', 'p99@1c', `p50@${rate}`, `p99@${rate}`]
  headers.push('TTFC p50', 'TTFC p99', 'CPU µs/req', 'core busy', 'RSS MB')
  const rows = []
  for (const mode of MODE_NAMES) {
    for (const target of TARGET_NAMES) {
      const r = row(results, target, mode)
      if (!r) continue
      const stream = mode === 'stream'
      rows.push([
        MODE_LABEL[mode],
        target,
        int(r.rps10),
        ms(r.p50c1),
        ms(r.p99c1),
        ms(r.p50rate),
        ms(r.p99rate),
        stream ? ms(r.ttfcP50) : '',
        stream ? ms(r.ttfcP99) : '',
        fixed(r.cpuUsPerReq, 0),
        pct(r.cpuBusy),
        fixed(r.rssMb, 1),
      ])
    }
  }
  return [
    'latencies in ms; TTFC = first data: event with content, at 1 conn; ' +
      'core busy = server CPU ÷ wall time at 10 conn',
    '',
    table(headers, rows),
    '',
  ]
}

function health(results) {
  const lines = []
  const errors = []
  for (const mode of MODE_NAMES) {
    for (const target of TARGET_NAMES) {
      const m = get(results, target, mode)
      if (!m) continue
      const who = `  ${MODE_LABEL[mode]} ${target}:`
      for (const phase of PHASES.filter((p) => m[p].errors > 0)) {
        errors.push(`${who} ${phase}: ${m[phase].errors} errors, first: ${m[phase].firstError}`)
      }
      const b = m.background
      const sb = m.saturation.background
      if (b && results.machine.pinned) {
        const worst = Math.max(b.otherOnCore0, b.otherOnCore1, sb?.otherOnCore0 ?? 0, sb?.otherOnCore1 ?? 0)
        lines.push(
          `${who} other processes took core 0 ${pct(b.otherOnCore0)}, core 1 ${pct(b.otherOnCore1)} ` +
            `(during 10c: ${pct(sb?.otherOnCore0)}, ${pct(sb?.otherOnCore1)}); ` +
            `irq ${pct(b.irqCore0)}/${pct(b.irqCore1)}, steal ${pct(b.stealCore0)}/${pct(b.stealCore1)}` +
            (worst > 0.05 ? '  ⚠ noisy' : ''),
        )
      }
      const threads = m.saturation.threadCpuUsPerRequest
      if (threads) {
        const parts = Object.entries(threads)
          .sort((x, y) => y[1] - x[1])
          .map(([name, us]) => `${name} ${us.toFixed(0)}`)
        lines.push(`${who} server CPU µs/req by thread @10c: ${parts.join(', ')}`)
      }
      const f = m.fixedRate
      lines.push(
        `${who} load generator core busy ${pct(m.saturation.loadgenCpuBusy)} @10c; ` +
          `open loop sent ${f.sent}/${f.scheduled} at ${int(f.achievedSendRate)} req/s, ` +
          `pacer lag p99 ${ms(f.sendLagMs.p99)} ms, max in flight ${f.maxInFlight}` +
          (f.unfinished ? `, ${f.unfinished} unfinished` : ''),
      )
    }
  }
  return [
    'load generator and machine health:',
    ...lines,
    '',
    ...(errors.length ? ['ERRORS:', ...errors, ''] : []),
  ]
}

function comparisonTable(results, comparison) {
  const rate = results.settings.rate
  const headers = ['mode', 'difference', 'Δp50@1c', 'Δp99@1c', `Δp50@${rate}`, `Δp99@${rate}`]
  headers.push('ΔTTFC p50', 'ΔTTFC p99', 'throughput')
  const rows = []
  for (const mode of MODE_NAMES) {
    for (const [name, c] of Object.entries(comparison[mode] ?? {})) {
      const stream = mode === 'stream'
      rows.push([
        MODE_LABEL[mode],
        name.startsWith('vs ') ? `ai-runner ${name}` : `${name} (floor)`,
        signedMs(c.addedP50At1cMs),
        signedMs(c.addedP99At1cMs),
        signedMs(c.addedP50AtRateMs),
        signedMs(c.addedP99AtRateMs),
        stream ? signedMs(c.addedTtfcP50Ms) : '',
        stream ? signedMs(c.addedTtfcP99Ms) : '',
        pct(c.throughputRatio),
      ])
    }
  }
  if (rows.length === 0) return []
  const title =
    'added latency (ms) and throughput ratio (rps@10c ÷ baseline); the floor rows are what a ' +
    'bare proxy process adds on this machine:'
  return [title, '', table(headers, rows), '']
}

function audit(results) {
  const a = results.audit
  if (!a) return []
  const statuses = Object.entries(a.byStatus).map(([status, n]) => `${status} ${n}`)
  const verdict = a.rows === a.requestsSent ? '✓ every call logged' : '✗ MISMATCH'
  return [
    `audit: ${a.rows} ai_call_logs rows for ${a.requestsSent} requests sent to ai-runner ` +
      `(${statuses.join(', ')}) ${verdict}`,
    '',
  ]
}

function targets(checkList) {
  const lines = ['targets:']
  for (const c of checkList) {
    const mark = c.pass == null ? '·' : c.pass ? '✓' : '✗'
    const show = (v) =>
      c.unit === 'share' ? pct(v) : c.unit === 'times' ? `${v.toFixed(2)}×` : `${v.toFixed(c.unit === 'ms' ? 3 : 1)} ${c.unit}`
    const value = c.value == null ? 'not measured' : show(c.value)
    lines.push(`  ${mark} ${c.name}: ${value} (target ${c.op} ${show(c.limit)})`)
  }
  return lines
}

/** The printed report. */
export function formatReport(results, comparison, checkList) {
  return [
    ...header(results),
    ...mainTable(results),
    ...health(results),
    ...comparisonTable(results, comparison),
    ...audit(results),
    ...targets(checkList),
  ].join('\n')
}
