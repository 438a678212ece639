// `npm run bench`: direct (mock upstream), passthrough (node:http + undici Pool) and the real
// `ai-runner serve`, measured in one run on 127.0.0.1. See bench/README.md.
//
// Env: BENCH_SECONDS (phase length, default 5), BENCH_WARMUP_SECONDS (default min(2, phase)),
// BENCH_ONLY=direct,passthrough,ai-runner, BENCH_MODES=json,stream, BENCH_RATE (default 1000),
// BENCH_AI_MODEL (what the client sends to ai-runner: `gpt-bench`, the model name, by default;
// `bench` for the config key), BENCH_CPU_PROF=<dir> (passthrough and ai-runner run with
// --cpu-prof; BENCH_CPU_PROF_INTERVAL sampling µs, default 250), BENCH_WAIT_QUIET=<s> (before
// each target, wait up to that long for other processes to leave the cores idle), BENCH_KEEP=1
// (keep the temporary database directory).
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { closedLoop, openLoop } from './load.mjs'
import { MODEL, startMockUpstream } from './mock-upstream.mjs'
import {
  backgroundMeter,
  peakRssMb,
  pinSelfToCore0,
  processCpuUs,
  schedulerNoise,
  threadCpuUs,
  waitForQuiet,
} from './proc-stats.mjs'
import { MODE_NAMES, TARGET_NAMES, checks, compare, formatReport } from './report.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url))
const PASSTHROUGH = fileURLToPath(new URL('./passthrough.mjs', import.meta.url))

function numberEnv(name, fallback, { allowZero = false } = {}) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`${name} must be a positive number, got "${raw}"`)
  }
  return value
}

function listEnv(name, allowed) {
  const raw = process.env[name]
  if (!raw) return allowed
  const list = raw.split(',').map((item) => item.trim()).filter(Boolean)
  if (list.length === 0 || list.some((item) => !allowed.includes(item))) {
    throw new Error(`${name} takes a comma-separated subset of ${allowed.join(',')}, got "${raw}"`)
  }
  return allowed.filter((item) => list.includes(item))
}

const SECONDS = numberEnv('BENCH_SECONDS', 5)
const WARMUP = numberEnv('BENCH_WARMUP_SECONDS', Math.min(2, SECONDS))
const RATE = numberEnv('BENCH_RATE', 1000)
const ONLY = listEnv('BENCH_ONLY', TARGET_NAMES)
const MODES = listEnv('BENCH_MODES', MODE_NAMES)
const AI_MODEL = process.env.BENCH_AI_MODEL || MODEL
const CPU_PROF = process.env.BENCH_CPU_PROF
const CPU_PROF_INTERVAL = numberEnv('BENCH_CPU_PROF_INTERVAL', 250)
const WAIT_QUIET = numberEnv('BENCH_WAIT_QUIET', 0, { allowZero: true })
const SATURATION_CONNECTIONS = 10

const message = [{ role: 'user', content: 'Hello' }]
const JSON_BODY = JSON.stringify({ model: MODEL, messages: message, max_tokens: 16 })
const STREAM_BODY = JSON.stringify({
  model: MODEL,
  messages: message,
  max_tokens: 16,
  stream: true,
  stream_options: { include_usage: true },
})
const bodyFor = (mode, model) => {
  const body = mode === 'stream' ? STREAM_BODY : JSON_BODY
  return model === MODEL ? body : body.replace(`"model":"${MODEL}"`, `"model":${JSON.stringify(model)}`)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const log = (line) => process.stderr.write(`[bench] ${line}\n`)

// ---------------------------------------------------------------- server processes

/** Started server processes, stopped by PID on every way out. */
const servers = new Set()
/** The temporary database directory, removed on every way out (unless BENCH_KEEP). */
let temporaryDirectory

const profileFlags = () =>
  CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-interval=${CPU_PROF_INTERVAL}`] : []

/** Starts a server process (on core 1 when pinned) and waits for its `listening on` line. */
async function startServer(name, nodeArgs, { cwd = ROOT, env = process.env, pinned }) {
  const command = pinned ? 'taskset' : process.execPath
  const args = pinned ? ['-c', '1', process.execPath, ...nodeArgs] : nodeArgs
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk) => (output = (output + chunk.toString('utf8')).slice(-20_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
  const server = { name, child, pid: child.pid, url: '', exited, output: () => output }
  servers.add(server)
  void exited.then(() => servers.delete(server))
  server.url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 30 s:\n${output}`)), 30_000)
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (!match) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      resolve(match[1])
    }
    child.stdout.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited (${code}) before listening:\n${output}`))
    })
  })
  // taskset execs node, so the PID is the node process itself.
  const exe = readlinkSync(`/proc/${child.pid}/exe`)
  if (!exe.includes('node')) throw new Error(`${name}: PID ${child.pid} runs ${exe}, not node`)
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  const affinity = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1]
  log(`${name} pid ${child.pid} on CPUs ${affinity} at ${server.url}`)
  return server
}

/** SIGTERM by PID, then SIGKILL after `graceMs`; resolves with the exit code or signal. */
async function stopServer(server, graceMs = 20_000) {
  if (!server) return undefined
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited
  try {
    process.kill(server.pid, 'SIGTERM')
  } catch {
    return server.exited
  }
  const outcome = await Promise.race([server.exited, sleep(graceMs).then(() => 'timeout')])
  if (outcome !== 'timeout') return outcome
  log(`${server.name} did not stop within ${graceMs} ms: SIGKILL`)
  try {
    process.kill(server.pid, 'SIGKILL')
  } catch {
    // already gone
  }
  return server.exited
}

/** The last resort on a signal or a crash: SIGKILL every server started, by PID. */
function killAllNow() {
  for (const server of servers) {
    try {
      process.kill(server.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  if (temporaryDirectory && !process.env.BENCH_KEEP) {
    rmSync(temporaryDirectory, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------- measuring

/** The 10-connection phase, with the server's CPU time (process and threads) around it. */
function saturationHooks(server) {
  const state = {}
  return {
    onStart() {
      state.background = backgroundMeter(server?.pid)
      state.self = process.cpuUsage()
      state.wall = process.hrtime.bigint()
      if (server) {
        state.cpu = processCpuUs(server.pid)
        state.threads = threadCpuUs(server.pid)
      }
    },
    onEnd(requests) {
      const wallUs = Number(process.hrtime.bigint() - state.wall) / 1000
      const self = process.cpuUsage(state.self)
      const extra = { loadgenCpuBusy: (self.user + self.system) / wallUs, background: state.background() }
      if (!server) return extra
      const cpuUs = processCpuUs(server.pid) - state.cpu
      const threadCpuUsPerRequest = {}
      for (const [name, us] of Object.entries(threadCpuUs(server.pid))) {
        const delta = us - (state.threads[name] ?? 0)
        if (delta > 0) threadCpuUsPerRequest[name] = delta / requests
      }
      return {
        ...extra,
        serverCpuUs: cpuUs,
        cpuUsPerRequest: cpuUs / requests,
        serverCpuBusy: cpuUs / wallUs,
        threadCpuUsPerRequest,
      }
    },
  }
}

async function measureMode(target, mode, server, counter) {
  const spec = {
    origin: target.url,
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}` },
    body: bodyFor(mode, target.model),
    stream: mode === 'stream',
    counter,
  }
  const step = (what) => log(`${target.name} ${mode}: ${what}`)
  step(`warm-up ${WARMUP}s`)
  await closedLoop(spec, { connections: SATURATION_CONNECTIONS, seconds: WARMUP })
  await sleep(200)
  const background = backgroundMeter(server?.pid)
  step(`1 connection ${SECONDS}s`)
  const oneConnection = await closedLoop(spec, { connections: 1, seconds: SECONDS })
  await sleep(200)
  step(`${RATE} req/s open loop ${SECONDS}s`)
  const fixedRate = await openLoop(spec, { rate: RATE, seconds: SECONDS })
  await sleep(200)
  step(`${SATURATION_CONNECTIONS} connections ${SECONDS}s`)
  const saturation = await closedLoop(spec, {
    connections: SATURATION_CONNECTIONS,
    seconds: SECONDS,
    ...saturationHooks(server),
  })
  const load = background()
  await sleep(200)
  return { oneConnection, fixedRate, saturation, background: load }
}

async function startTarget(name, ctx) {
  if (name === 'direct') return { server: undefined, url: ctx.mock.origin, model: MODEL }
  if (name === 'passthrough') {
    const server = await startServer(name, [...profileFlags(), PASSTHROUGH, ctx.mock.origin], {
      pinned: ctx.pinned,
    })
    return { server, url: server.url, model: MODEL }
  }
  const { BIN } = await import('./ai-runner-target.mjs')
  const args = [...profileFlags(), BIN, 'serve', '--host', '127.0.0.1', '--port', '0']
  const server = await startServer(name, args, {
    cwd: ctx.aiRunner.directory,
    env: ctx.aiRunner.env,
    pinned: ctx.pinned,
  })
  return { server, url: server.url, model: AI_MODEL }
}

async function measureTarget(name, ctx) {
  const counter = { sent: 0, ok: 0, failed: 0 }
  const quiet = WAIT_QUIET ? await waitForQuiet(WAIT_QUIET) : undefined
  if (quiet && !quiet.quiet) log(`machine still busy after ${WAIT_QUIET} s: measuring anyway`)
  let server
  try {
    const started = await startTarget(name, ctx)
    server = started.server
    const target = { name, apiKey: ctx.apiKey, url: started.url, model: started.model }
    const result = { url: target.url, pid: server?.pid ?? null, waitedForQuiet: quiet, modes: {} }
    for (const mode of MODES) result.modes[mode] = await measureMode(target, mode, server, counter)
    result.requests = { ...counter }
    if (server) {
      result.peakRssMb = peakRssMb(server.pid)
      if (CPU_PROF) log(`${name}: CPU profile goes to ${CPU_PROF}/CPU.*.${server.pid}.*.cpuprofile`)
      result.exit = await stopServer(server)
      if (result.exit !== 0) log(`${name} exited with ${result.exit}:\n${server.output()}`)
    }
    return result
  } catch (error) {
    if (server) log(`${name} output:\n${server.output()}`)
    throw error
  } finally {
    await stopServer(server)
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now()
  const machineCpus = availableParallelism()
  const pin = pinSelfToCore0()
  log(pin.pinned ? 'load generator + mock upstream pinned to core 0' : `NOT PINNED: ${pin.note}`)
  if (WAIT_QUIET) await waitForQuiet(WAIT_QUIET)
  const noise = await schedulerNoise()
  log(
    `scheduler noise on core 0: ${noise.stallsOver05ms} stalls > 0.5 ms in ${noise.seconds} s, ` +
      `max ${noise.maxStallMs.toFixed(2)} ms`,
  )
  const mock = await startMockUpstream()
  const ctx = { mock, pinned: pin.pinned, apiKey: 'air_bench_placeholder_key_for_the_baselines_0000' }
  let aiRunner
  try {
    if (ONLY.includes('ai-runner')) {
      const { prepareAiRunner } = await import('./ai-runner-target.mjs')
      aiRunner = await prepareAiRunner({ upstreamBaseUrl: mock.baseUrl, model: MODEL })
      temporaryDirectory = aiRunner.directory
      ctx.aiRunner = aiRunner
      ctx.apiKey = aiRunner.apiKey
      log(`ai-runner database ${aiRunner.databasePath}, API key made with apikey create`)
    }
    if (CPU_PROF) mkdirSync(CPU_PROF, { recursive: true })

    const results = {
      startedAt: new Date(started).toISOString(),
      machine: {
        node: process.version,
        cpus: machineCpus,
        cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
        pinned: pin.pinned,
        pinNote: pin.note,
        schedulerNoise: noise,
      },
      settings: {
        seconds: SECONDS,
        warmupSeconds: WARMUP,
        rate: RATE,
        saturationConnections: SATURATION_CONNECTIONS,
        model: MODEL,
        aiModel: AI_MODEL,
        jsonBody: JSON_BODY,
        streamBody: STREAM_BODY,
        mockCompletionBytes: mock.completionBytes,
        cpuProfileDir: CPU_PROF ?? null,
      },
      targets: {},
    }
    for (const name of ONLY) results.targets[name] = await measureTarget(name, ctx)

    if (aiRunner) {
      const { countAuditRows } = await import('./ai-runner-target.mjs')
      const rows = countAuditRows(aiRunner.databasePath)
      const sent = results.targets['ai-runner'].requests.sent
      results.audit = { rows: rows.total, byStatus: rows.byStatus, requestsSent: sent, match: rows.total === sent }
    }
    const comparison = compare(results)
    const checkList = checks(results, comparison)
    results.comparison = comparison
    results.checks = checkList
    results.durationSeconds = (Date.now() - started) / 1000

    mkdirSync(RESULTS, { recursive: true })
    writeFileSync(`${RESULTS}latest.json`, `${JSON.stringify(results, null, 2)}\n`)
    process.stdout.write(`\n${formatReport(results, comparison, checkList)}\n\n`)
    process.stdout.write(`results: bench/results/latest.json (${results.durationSeconds.toFixed(0)} s)\n`)
    if (CPU_PROF) {
      process.stdout.write(
        `CPU profiles in ${CPU_PROF}: node bench/cpuprofile-summary.mjs <file> --phase saturation --mode json\n`,
      )
    }
    return results.audit && !results.audit.match ? 1 : 0
  } finally {
    for (const server of [...servers]) await stopServer(server)
    await mock.close()
    if (aiRunner && process.env.BENCH_KEEP) log(`kept ${aiRunner.directory}`)
    else if (aiRunner) rmSync(aiRunner.directory, { recursive: true, force: true })
    temporaryDirectory = undefined
  }
}

process.once('exit', killAllNow)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping the started processes`)
    killAllNow()
    process.exit(130)
  })
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`)
    killAllNow()
    process.exitCode = 1
  },
)
