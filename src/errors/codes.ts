/**
 * Every error code ai-runner emits. The first group is kept verbatim from the original Python
 * module so that dashboards and alert rules built on `ai_call_logs.error_code` keep working.
 */
export const ERROR_CODES = [
  'CONFIG_NOT_FOUND',
  'HTTP_429_RATE_LIMIT',
  'HTTP_5XX_SERVER_ERROR',
  'HTTP_STATUS_ERROR',
  'NETWORK_TIMEOUT',
  'NETWORK_ERROR',
  'REQUEST_ERROR',
  'SCHEMA_INVALID',
  'LETTER_DETECTED',
  'DB_ERROR',
  'VALIDATION_ERROR',
  'ENV_MISSING',
  'VARIABLE_MISSING',
  'DECRYPT_FAILED',
  'PROVIDER_AUTH_FAILED',
  'PROVIDER_NOT_SUPPORTED',
  'CONFIG_INVALID',
  'CANCELLED',
  'BUDGET_EXCEEDED',
  'CIRCUIT_OPEN',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  'DEMO_PEPPER_REFUSED',
  'VERSION_CONFLICT',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]
