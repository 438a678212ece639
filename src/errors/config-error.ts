import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** A configuration chain problem: unknown key, bad row, unfilled placeholder, missing variable. */
export class ConfigError extends AiRunnerError {
  constructor(
    code: 'CONFIG_NOT_FOUND' | 'CONFIG_INVALID' | 'VARIABLE_MISSING' | 'PROVIDER_NOT_SUPPORTED' | 'DEMO_PEPPER_REFUSED',
    message: string,
    options?: AiRunnerErrorOptions,
  ) {
    super(code, message, options)
  }
}

/** Required environment variables are missing; the message names every one of them. */
export class EnvMissingError extends AiRunnerError {
  readonly missing: readonly string[]

  constructor(missing: readonly string[]) {
    super(
      'ENV_MISSING',
      `Missing required env variables: ${missing.join(', ')}. Ensure you have created root-level basic.env/mysql.env and filled values.`,
      { hint: 'Set them in the environment, in basic.env/mysql.env at the project root, or pass them to init({...}).' },
    )
    this.missing = missing
  }
}

/** One environment variable whose value cannot be used. */
export interface EnvProblem {
  readonly variable: string
  /** `NAME="value": problem; expected …`, without the value for a secret variable. */
  readonly description: string
}

/** Environment variables hold values that cannot be used; the message names every one of them. */
export class EnvInvalidError extends AiRunnerError {
  readonly problems: readonly EnvProblem[]

  constructor(problems: readonly EnvProblem[]) {
    const [only] = problems
    super(
      'CONFIG_INVALID',
      problems.length === 1 && only
        ? `Invalid environment variable ${only.description}`
        : `Invalid environment variables:\n${problems.map((problem) => `  ${problem.description}`).join('\n')}`,
      {
        hint:
          'Fix them in the environment, in basic.env/mysql.env/.env at the project root, or in the values passed to ' +
          'init({...}). docs/reference/environment.md lists every variable and what it accepts.',
      },
    )
    this.problems = problems
  }
}

/** Input given by a caller (CLI flag, YAML file, library argument) is not valid. */
export class ValidationError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('VALIDATION_ERROR', message, { status: 400, ...options })
  }
}
