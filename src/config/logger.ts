/** The few log calls the library makes; messages never carry a key, a pepper or a body. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** Writes to stderr; debug lines only when enabled (AI_RUNNER_DEBUG=true). */
export function createStderrLogger(options: { debug: boolean }): Logger {
  const write = (level: string, message: string) => process.stderr.write(`[ai-runner] ${level} ${message}\n`)
  return {
    debug: (message) => {
      if (options.debug) write('debug', message)
    },
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
