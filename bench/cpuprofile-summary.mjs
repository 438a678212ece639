// Summarises a V8 .cpuprofile (node --cpu-prof): self time by package, file and function, the
// inclusive time of ai-runner's own functions (each counted once per sample) and the longest
// stretches the event loop was held without a break.
//
// Usage: node bench/cpuprofile-summary.mjs <file.cpuprofile> [--top N] [--requests N]
//          [--phase saturation|fixedRate|oneConnection] [--mode json|stream]
//          [--target ai-runner|passthrough] [--results bench/results/latest.json]
// With --phase, only the samples inside that phase's measured window count (the window comes from
// the results of the same run) and per-request figures use that phase's request count.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const USAGE =
  'usage: node bench/cpuprofile-summary.mjs <file.cpuprofile> [--top N] [--requests N] ' +
  '[--phase saturation|fixedRate|oneConnection] [--mode json|stream] ' +
  '[--target ai-runner|passthrough] [--results FILE]'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  if (at === -1) return fallback
  return args.splice(at, 2)[1]
}
const TOP = Number(option('--top', 25))
const PHASE = option('--phase', undefined)
const MODE = option('--mode', 'json')
const TARGET = option('--target', 'ai-runner')
const RESULTS = option('--results', fileURLToPath(new URL('./results/latest.json', import.meta.url)))
let requests = Number(option('--requests', 0))
const [input] = args
if (!input) {
  console.error(USAGE)
  process.exit(2)
}

const profile = JSON.parse(readFileSync(input, 'utf8'))

/** The phase's window in the profile's clock (monotonic µs), from the run's results. */
function phaseWindow() {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8'))
  const target = results.targets?.[TARGET]
  const phase = target?.modes?.[MODE]?.[PHASE]
  if (!phase?.window) throw new Error(`${RESULTS} has no ${TARGET} ${MODE} ${PHASE} window`)
  if (target.pid && !input.includes(`.${target.pid}.`)) {
    throw new Error(`${input} is not from ${TARGET}'s process ${target.pid} in ${RESULTS}`)
  }
  const { startUs, endUs } = phase.window
  if (startUs < profile.startTime || endUs > profile.endTime) {
    const span = `${profile.startTime}–${profile.endTime} µs`
    throw new Error(`the ${PHASE} window (${startUs}–${endUs} µs) is outside the profile (${span})`)
  }
  requests = phase.requests + phase.errors
  return phase.window
}
const window = PHASE ? phaseWindow() : undefined

const parent = new Map()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

/** Shortens a script URL: project files relative to the root, packages by name. */
function fileOf(url) {
  if (!url) return '(native)'
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path
}
function packageOf(file) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)
  if (match) return match[1]
  if (file.startsWith('node:')) return 'node (internals)'
  if (file.startsWith('dist/')) return 'ai-runner (dist/)'
  if (file.startsWith('bin/') || file.startsWith('bench/')) return 'ai-runner (bin/, bench/)'
  return file
}
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)'])
function keyOf(node) {
  const { functionName, url, lineNumber } = node.callFrame
  const name = functionName || '(anonymous)'
  if (SPECIAL.has(name)) return { fn: name, file: name, pkg: name }
  const file = fileOf(url)
  return { fn: `${name} ${file}:${lineNumber + 1}`, file, pkg: packageOf(file) }
}
const keys = new Map(profile.nodes.map((node) => [node.id, keyOf(node)]))
const depths = new Map()
const depthOf = (id) => {
  if (!depths.has(id)) depths.set(id, parent.has(id) ? depthOf(parent.get(id)) + 1 : 0)
  return depths.get(id)
}
/** Each distinct frame of a sample's stack, innermost first. */
function* stackOf(id) {
  const seen = new Set()
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = keys.get(at)
    if (seen.has(key.fn)) continue
    seen.add(key.fn)
    yield { id: at, ...key }
  }
}

// Time per sample: the delta to the next sample (the last gets the mean); samples outside the
// window count 0. V8 samples on wall time, so a delta far above the interval means the sampler
// did not run (another process had the core): only one interval goes to the sampled function,
// the rest is reported as a gap and left out of busy time.
const { samples, timeDeltas } = profile
const total = window ? window.endUs - window.startUs : profile.endTime - profile.startTime
const interval = [...timeDeltas].sort((a, b) => a - b)[Math.floor(timeDeltas.length / 2)] || 1000
let gaps = 0
let clock = profile.startTime
const durations = samples.map((_, i) => {
  clock += timeDeltas[i]
  if (window && (clock < window.startUs || clock >= window.endUs)) return 0
  const us = timeDeltas[i + 1] ?? total / samples.length
  if (us <= 4 * interval) return us
  gaps += us - interval
  return interval
})

const self = { fn: new Map(), file: new Map(), pkg: new Map() }
const inclusiveOwn = new Map()
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us)
// Back-to-back busy samples: how long the event loop was held at once. At 1 connection these
// are the stalls behind p99 (under saturation the loop is never idle); they need an interval well
// under the idle gaps (BENCH_CPU_PROF_INTERVAL=250). Each is named after the deepest project or
// package frame found in at least 30 % of its samples.
const stretches = []
let stretch
let idle = 0
let busy = 0
for (let i = 0; i < samples.length; i++) {
  const us = durations[i]
  if (us === 0) continue
  const key = keys.get(samples[i])
  if (key.fn === '(idle)') {
    idle += us
    if (stretch) stretches.push(stretch)
    stretch = undefined
    continue
  }
  busy += us
  add(self.fn, key.fn, us)
  add(self.file, key.file, us)
  add(self.pkg, key.pkg, us)
  stretch ??= { us: 0, samples: 0, frames: new Map(), self: new Map() }
  stretch.us += us
  stretch.samples += 1
  add(stretch.self, key.fn, us)
  for (const frame of stackOf(samples[i])) {
    if (frame.pkg.startsWith('ai-runner (dist')) add(inclusiveOwn, frame.fn, us)
    if (frame.pkg === '(native)' || frame.pkg === 'node (internals)' || SPECIAL.has(frame.pkg)) continue
    const entry = stretch.frames.get(frame.fn) ?? { count: 0, depth: 0 }
    entry.count += 1
    entry.depth = Math.max(entry.depth, depthOf(frame.id))
    stretch.frames.set(frame.fn, entry)
  }
}
if (stretch) stretches.push(stretch)
stretches.sort((a, b) => b.us - a.us)

const ms = (us) => (us / 1000).toFixed(1).padStart(9)
const share = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`
const perRequest = (us) => (requests ? `${(us / requests).toFixed(1).padStart(7)} µs/req` : '')
function print(title, map, top = TOP) {
  console.log(`\n${title}`)
  const sorted = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
  for (const [key, us] of sorted) console.log(`${ms(us)} ms ${share(us)} ${perRequest(us)}  ${key}`)
}

const seconds = (us) => (us / 1e6).toFixed(2)
console.log(`${input}${PHASE ? ` — ${TARGET} ${MODE} ${PHASE} window only` : ''}`)
console.log(
  `${seconds(total)} s profiled: busy ${seconds(busy)} s, idle ${seconds(idle)} s` +
    (requests ? `; ${requests} requests → ${(busy / requests).toFixed(0)} µs busy per request` : ''),
)
console.log(`sampling interval ${interval} µs; ${seconds(gaps)} s of gaps (core taken by others) left out`)
console.log('(shares are of busy time; "(program)" is native work V8 does not attribute)')
console.log(
  '("idle" also holds native work done while libuv polls, such as socket reads and the HTTP ' +
    'parser, so busy time is below the CPU time the bench reads from /proc)',
)
print('self time by package', self.pkg, 20)
print('self time by file', self.file)
print('self time by function', self.fn)
print('inclusive time of ai-runner functions (dist/)', inclusiveOwn)

console.log('\nlongest busy stretches (event loop held without a break)')
for (const { us, samples: count, frames, self: own } of stretches.slice(0, 12)) {
  let best
  for (const [frame, entry] of frames) {
    if (entry.count < count * 0.3) continue
    if (!best || entry.depth > best.depth) best = { frame, ...entry }
  }
  console.log(`${ms(us)} ms  ${best ? `${Math.round((best.count / count) * 100)}% in ${best.frame}` : ''}`)
  const top = [...own.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3)
  console.log(`             self: ${top.map(([fn, time]) => `${(time / 1000).toFixed(1)} ms ${fn.split(' ')[0]}`).join(', ')}`)
}
