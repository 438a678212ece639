// Linux /proc readings for the benchmark: CPU pinning, process and thread CPU time, per-core
// load of other processes, peak RSS, and how noisy the scheduler is.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()
const ticksToUs = (ticks) => (ticks * 1e6) / CLK_TCK
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Pins this process, every thread of it, to core 0 (`taskset -a -p -c 0`). */
export function pinSelfToCore0() {
  const cpus = availableParallelism()
  if (cpus < 2) return { pinned: false, note: `only ${cpus} CPU available` }
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
    return { pinned: true, note: '' }
  } catch (error) {
    const reason = error.code ?? error.message
    return { pinned: false, note: `taskset unavailable or refused (${reason}); running unpinned` }
  }
}

/** utime + stime from a `stat` file (a process: all its threads; a task: one thread), in µs. */
function statCpuUs(path) {
  const stat = readFileSync(path, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return ticksToUs(Number(fields[11]) + Number(fields[12]))
}

/** CPU time of a process, all threads, in µs. */
export const processCpuUs = (pid) => statCpuUs(`/proc/${pid}/stat`)

/** CPU time per thread name of a process, in µs: `main thread` (the event loop) and the rest. */
export function threadCpuUs(pid) {
  const byName = {}
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name =
        tid === String(pid) ? 'main thread' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()
      byName[name] = (byName[name] ?? 0) + statCpuUs(`/proc/${pid}/task/${tid}/stat`)
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName
}

/** Peak resident set size (VmHWM) in MB. */
export function peakRssMb(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : null
}

/** Per-core busy (user + nice + system), irq + softirq and steal time from /proc/stat, in µs. */
function coreTimes() {
  const cores = {}
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line)
    if (!match) continue
    const [user, nice, system, , , irq, softirq, steal] = match[2].split(' ').map(Number)
    cores[match[1]] = {
      busy: ticksToUs(user + nice + system),
      irq: ticksToUs(irq + softirq),
      steal: ticksToUs(steal),
    }
  }
  return cores
}

/**
 * Starts measuring what other processes take from cores 0 and 1: core busy time minus this
 * process (on core 0) and the server (on core 1), as a share of wall time. Only meaningful when
 * pinned. Returns the function that reads the result.
 */
export function backgroundMeter(serverPid) {
  const before = {
    cores: coreTimes(),
    self: process.cpuUsage(),
    server: serverPid ? processCpuUs(serverPid) : 0,
    wall: process.hrtime.bigint(),
  }
  return () => {
    const cores = coreTimes()
    const self = process.cpuUsage(before.self)
    const wallUs = Number(process.hrtime.bigint() - before.wall) / 1000
    const delta = (core, field) => (cores[core]?.[field] ?? 0) - (before.cores[core]?.[field] ?? 0)
    const server = serverPid ? processCpuUs(serverPid) - before.server : 0
    const share = (us) => Math.max(0, us / wallUs)
    return {
      otherOnCore0: share(delta('0', 'busy') - (self.user + self.system)),
      otherOnCore1: share(delta('1', 'busy') - server),
      irqCore0: share(delta('0', 'irq')),
      irqCore1: share(delta('1', 'irq')),
      stealCore0: share(delta('0', 'steal')),
      stealCore1: share(delta('1', 'steal')),
    }
  }
}

/** Waits (up to `maxSeconds`) until two 1-second samples in a row show < 10 % of a core busy. */
export async function waitForQuiet(maxSeconds) {
  const started = Date.now()
  let quietSamples = 0
  let busy = 1
  while (Date.now() - started < maxSeconds * 1000) {
    const before = coreTimes()
    await sleep(1000)
    const after = coreTimes()
    busy = Object.keys(after).reduce((sum, core) => sum + after[core].busy - before[core].busy, 0) / 1e6
    quietSamples = busy < 0.1 ? quietSamples + 1 : 0
    if (quietSamples >= 2) return { quiet: true, waitedSeconds: (Date.now() - started) / 1000 }
  }
  return { quiet: false, waitedSeconds: (Date.now() - started) / 1000, busyCores: busy }
}

/**
 * How often this (pinned, otherwise idle) process is kept off its core: a setImmediate spin for
 * `ms`, counting gaps over 0.5 ms between turns. A floor under every p99 measured here.
 */
export function schedulerNoise(ms = 1000) {
  return new Promise((resolve) => {
    const gaps = []
    const start = process.hrtime.bigint()
    const end = start + BigInt(ms) * 1_000_000n
    let last = start
    const spin = () => {
      const now = process.hrtime.bigint()
      const gapMs = Number(now - last) / 1e6
      if (gapMs > 0.5) gaps.push(gapMs)
      last = now
      if (now < end) {
        setImmediate(spin)
        return
      }
      resolve({
        seconds: ms / 1000,
        stallsOver05ms: gaps.length,
        stalledMs: gaps.reduce((sum, gap) => sum + gap, 0),
        maxStallMs: gaps.length ? Math.max(...gaps) : 0,
      })
    }
    setImmediate(spin)
  })
}
