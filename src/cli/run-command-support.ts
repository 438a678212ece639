import type { Command } from 'commander'
import { describeDatabase } from '../config/database-settings.js'
import type { RunTarget } from '../store/config-source.js'
import { runTarget } from '../runner/run-once.js'
import type { CliIo } from './cli-io.js'
import type { CliSession } from './cli-session.js'
import type { CommandOutput } from './command-definition.js'
import { collectVariable, parsePositiveNumber, parseVariables } from './parse-variables.js'

/** The options `run-once` and `run-route` share. */
export function configureRunOptions(command: Command): Command {
  return command
    .option('--var <NAME=VALUE>', 'fill a {{NAME}} placeholder (repeatable)', collectVariable, [])
    .option('--timeout <seconds>', 'per-attempt timeout in seconds')
    .option('--max-retries <n>', 'retries after the first attempt for 429, 5xx, timeouts')
    .option('--stream', 'stream the answer as it arrives')
    .option('--user-id <id>', 'the caller’s user, written to ai_call_logs.user_id')
    .option('--session-id <id>', 'a DashScope application conversation to continue (the session_id a run printed)')
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Runs a target from the CLI and shapes the result for people and for `--json`. */
export async function runFromCli(
  target: RunTarget,
  options: Record<string, unknown>,
  session: CliSession,
  io: CliIo,
): Promise<CommandOutput> {
  const variables = parseVariables(options.var as string[])
  const timeoutSeconds = parsePositiveNumber(options.timeout, '--timeout')
  const maxRetries = parsePositiveNumber(options.maxRetries, '--max-retries', { integer: true, allowZero: true })
  const streamToTerminal = options.stream === true && options.json !== true
  const context = session.runner()
  const result = await runTarget(context, target, {
    variables,
    timeoutSeconds,
    maxRetries,
    triggerType: 'cli',
    userId: optionalText(options.userId),
    sessionId: optionalText(options.sessionId),
    ...(options.stream === true ? { onDelta: streamToTerminal ? (text: string) => io.stdout.write(text) : () => undefined } : {}),
  })
  const mock = result.provider === 'mock'
  const lines = [
    streamToTerminal ? '' : (result.content ?? ''),
    '',
    `— ${result.status} · ${result.routeKey ? `route ${result.routeKey} → ${result.configKey} · ` : ''}provider ${result.provider} · model ${result.model}${mock ? ' (mock provider: a local demo answer, no model was called)' : ''}`,
    `  tokens: ${result.usage.totalTokens ?? 'n/a'} (${result.usage.source})${result.cost !== null ? ` · cost ${result.cost} ${result.currency}` : ''} · attempts ${result.attempts} · ${Math.round(result.durationMs)} ms`,
    `  logged as ai_call_logs.id = ${result.logId ?? 'pending'} in ${describeDatabase(context.config.database)}`,
    ...(result.sessionId ? [`  session_id ${result.sessionId} (continue with --session-id ${result.sessionId})`] : []),
  ]
  return {
    data: {
      status: result.status,
      content: result.content,
      parsed: result.parsed ?? null,
      usage: {
        prompt_tokens: result.usage.promptTokens,
        completion_tokens: result.usage.completionTokens,
        total_tokens: result.usage.totalTokens,
        cached_tokens: result.usage.cachedTokens,
        reasoning_tokens: result.usage.reasoningTokens,
        source: result.usage.source,
      },
      cost: result.cost,
      currency: result.currency,
      config_key: result.configKey,
      route: result.routeKey,
      provider: result.provider,
      model: result.model,
      mock,
      attempts: result.attempts,
      duration_ms: Math.round(result.durationMs),
      request_id: result.requestId,
      log_id: result.logId ?? null,
      session_id: result.sessionId,
    },
    text: lines.join('\n'),
  }
}
