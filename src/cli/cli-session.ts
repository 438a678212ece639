import { getConfig, validateRequiredFields, type AppConfig } from '../config/app-config.js'
import { findProjectRoot } from '../config/env-files.js'
import { createStderrLogger } from '../config/logger.js'
import { closeHttpAgent } from '../providers/transport/http-agent.js'
import { createRunnerContext } from '../runner/create-runner-context.js'
import type { RunnerContext } from '../runner/runner-context.js'
import type { Store } from '../store/db.js'
import { createStore } from '../store/db.js'
import type { CliIo } from './cli-io.js'

/** Config, database and runner for one CLI invocation, opened only when a command needs them. */
export class CliSession {
  #config: AppConfig | undefined
  #store: Store | undefined
  #context: RunnerContext | undefined
  readonly #io: CliIo

  constructor(io: CliIo) {
    this.#io = io
  }

  get config(): AppConfig {
    this.#config ??= getConfig({ root: findProjectRoot(this.#io.cwd), env: this.#io.env })
    return this.#config
  }

  /** Replaces the config (quickstart points at its own demo database). */
  useConfig(config: AppConfig): void {
    this.#config = config
  }

  /** The database; checks the required variables first (AI_PEPPER only when asked). */
  store(options: { pepper: boolean }): Store {
    validateRequiredFields(this.config, options)
    this.#store ??= createStore(this.config.database)
    return this.#store
  }

  runner(): RunnerContext {
    const store = this.store({ pepper: true })
    this.#context ??= createRunnerContext(this.config, {
      store,
      logger: createStderrLogger({ debug: this.config.debug }),
    })
    return this.#context
  }

  async close(): Promise<void> {
    await this.#context?.routing.state.close()
    await this.#store?.close()
    await closeHttpAgent()
  }
}
