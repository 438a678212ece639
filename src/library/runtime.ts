import { getConfig, validateRequiredFields, type AppConfig } from '../config/app-config.js'
import { closeHttpAgent } from '../providers/transport/http-agent.js'
import { createRunnerContext } from '../runner/create-runner-context.js'
import type { RunnerContext } from '../runner/runner-context.js'

let defaultConfig: AppConfig | undefined
const contexts = new Map<AppConfig, RunnerContext>()

/** The config a library call uses: the one given, else env files + environment, read once. */
export function resolveConfig(config: AppConfig | undefined): AppConfig {
  if (config) return config
  defaultConfig ??= getConfig()
  return defaultConfig
}

/** One context (one connection pool) per config for the life of the process. */
export function contextFor(config: AppConfig | undefined, options: { pepper?: boolean } = {}): RunnerContext {
  const resolved = resolveConfig(config)
  let context = contexts.get(resolved)
  if (!context) {
    validateRequiredFields(resolved, options)
    context = createRunnerContext(resolved)
    contexts.set(resolved, context)
  }
  return context
}

/** Closes every pool the library opened; call it before a script exits. */
export async function close(): Promise<void> {
  const open = [...contexts.values()]
  contexts.clear()
  await Promise.all(open.map(async (context) => {
    await context.routing.state.close()
    await context.store.close()
  }))
  await closeHttpAgent()
}
