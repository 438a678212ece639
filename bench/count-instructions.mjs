// Instructions the gateway executes per call, counted by valgrind's callgrind: unlike CPU time,
// the count does not depend on what else the machine is doing; runs of one build still differ by
// 5–12 % (V8's background compiler and GC threads are counted too). See bench/README.md.
//
// Env: COUNT_REQUESTS (counted calls, default 5000), COUNT_WARMUP (calls before counting, default
// 10000: under valgrind V8 needs thousands of calls to optimise the hot path), COUNT_MODE
// (json | stream), COUNT_CONNECTIONS (default 10), BENCH_AI_MODEL (as for the benchmark).
// Needs `valgrind` and `callgrind_control` on the PATH and a built dist/.
import { execFileSync, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { Agent, request } from 'undici'
import { BIN, prepareAiRunner } from './ai-runner-target.mjs'
import { MODEL, startMockUpstream } from './mock-upstream.mjs'

function positive(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`)
  return value
}

const REQUESTS = positive('COUNT_REQUESTS', 5000)
const WARMUP = positive('COUNT_WARMUP', 10_000)
const CONNECTIONS = positive('COUNT_CONNECTIONS', 10)
const MODE = process.env.COUNT_MODE || 'json'
if (MODE !== 'json' && MODE !== 'stream') throw new Error(`COUNT_MODE is json or stream, got "${MODE}"`)
const AI_MODEL = process.env.BENCH_AI_MODEL || MODEL

for (const tool of ['valgrind', 'callgrind_control']) {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' })
  } catch {
    throw new Error(`${tool} is not installed (Debian package valgrind)`)
  }
}

const mock = await startMockUpstream()
const prepared = await prepareAiRunner({ upstreamBaseUrl: mock.baseUrl, model: AI_MODEL })
const child = spawn(
  'valgrind',
  ['--tool=callgrind', '--instr-atstart=no', '--callgrind-out-file=/dev/null', process.execPath, BIN, 'serve', '--port', '0'],
  { cwd: prepared.directory, env: prepared.env, stdio: ['ignore', 'pipe', 'pipe'] },
)
let stderr = ''
child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-20_000)))
const exited = new Promise((resolve) => child.once('exit', resolve))

try {
  const url = await new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`the gateway did not start in 120 s:\n${stderr}`)), 120_000)
    child.stdout.on('data', (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    void exited.then(() => reject(new Error(`the gateway exited before listening:\n${stderr}`)))
  })
  const dispatcher = new Agent({ connections: CONNECTIONS })
  const body = JSON.stringify({
    model: AI_MODEL,
    messages: [{ role: 'user', content: 'Hello' }],
    max_tokens: 16,
    ...(MODE === 'stream' ? { stream: true, stream_options: { include_usage: true } } : {}),
  })
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${prepared.apiKey}` }
  const calls = async (count) => {
    let left = count
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (left-- > 0) {
          const answer = await request(`${url}/v1/chat/completions`, { method: 'POST', headers, body, dispatcher })
          await answer.body.text()
          if (answer.statusCode !== 200) throw new Error(`HTTP ${answer.statusCode} from the gateway`)
        }
      }),
    )
  }
  await calls(WARMUP)
  execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' })
  await calls(REQUESTS)
  execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore' })
  await dispatcher.close()
  child.kill('SIGTERM')
  await exited
  const collected = /Collected\s*:\s*(\d+)/.exec(stderr)?.[1]
  if (!collected) throw new Error(`callgrind printed no count:\n${stderr}`)
  const perCall = Number(collected) / REQUESTS
  process.stdout.write(
    `${MODE} via "${AI_MODEL}": ${Number(collected).toLocaleString('en-US')} instructions for ${REQUESTS} calls ` +
      `= ${Math.round(perCall).toLocaleString('en-US')} per call (${CONNECTIONS} connections, ${WARMUP} warm-up calls)\n`,
  )
} finally {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await mock.close()
  rmSync(prepared.directory, { recursive: true, force: true })
}
