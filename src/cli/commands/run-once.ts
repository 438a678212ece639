import { defineCommand } from '../command-definition.js'
import { collectVariable, parsePositiveNumber, parseVariables } from '../parse-variables.js'
import { runConfig } from '../../runner/run-once.js'
import { describeDatabase } from '../../config/database-settings.js'
import { ValidationError } from '../../errors/config-error.js'

export const runOnceCommand = defineCommand({
  path: ['run-once'],
  description: 'Run the call configured under a config_key once and log it to ai_call_logs',
  configure: (command) =>
    command
      .argument('[config_key]', 'the ai_config.config_key to run (default: AI_TEST_CONFIG_KEY)')
      .option('--config-key <key>', 'same as the argument (the original module’s spelling)')
      .option('--var <NAME=VALUE>', 'fill a {{NAME}} placeholder (repeatable)', collectVariable, [])
      .option('--timeout <seconds>', 'per-attempt timeout in seconds')
      .option('--max-retries <n>', 'retries after the first attempt for 429, 5xx, timeouts')
      .option('--stream', 'stream the answer as it arrives'),
  async run({ operands, options }, session, io) {
    const configKey = operands[0] ?? (options.configKey as string | undefined) ?? session.config.env.AI_TEST_CONFIG_KEY
    if (!configKey) throw new ValidationError('Name the config_key to run: ai-runner run-once <config_key>')
    const variables = parseVariables(options.var as string[])
    const timeoutSeconds = parsePositiveNumber(options.timeout, '--timeout')
    const maxRetries = parsePositiveNumber(options.maxRetries, '--max-retries', { integer: true, allowZero: true })
    const streamToTerminal = options.stream === true && options.json !== true
    const context = session.runner()
    const result = await runConfig(context, configKey, {
      variables,
      timeoutSeconds,
      maxRetries,
      triggerType: 'cli',
      ...(options.stream === true ? { onDelta: streamToTerminal ? (text: string) => io.stdout.write(text) : () => undefined } : {}),
    })
    const mock = result.provider === 'mock'
    const lines = [
      streamToTerminal ? '' : (result.content ?? ''),
      '',
      `— ${result.status} · provider ${result.provider} · model ${result.model}${mock ? ' (mock provider: a local demo answer, no model was called)' : ''}`,
      `  tokens: ${result.usage.totalTokens ?? 'n/a'} (${result.usage.source})${result.cost !== null ? ` · cost ${result.cost} ${result.currency}` : ''} · attempts ${result.attempts} · ${Math.round(result.durationMs)} ms`,
      `  logged as ai_call_logs.id = ${result.logId ?? 'pending'} in ${describeDatabase(context.config.database)}`,
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
        provider: result.provider,
        model: result.model,
        mock,
        attempts: result.attempts,
        duration_ms: Math.round(result.durationMs),
        request_id: result.requestId,
        log_id: result.logId ?? null,
      },
      text: lines.join('\n'),
    }
  },
})
