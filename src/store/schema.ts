import type { ColumnType, Generated } from 'kysely'

/** JSON columns: objects on MySQL/PostgreSQL, text on SQLite. Written as JSON text. */
export type JsonColumn = ColumnType<unknown, string, string>
export type NullableJsonColumn = ColumnType<unknown, string | null | undefined, string | null>
/** Timestamps: Date on MySQL/PostgreSQL, text on SQLite. Written by the database or as a dialect value. */
export type Timestamp = ColumnType<Date | string, Date | string | undefined, Date | string>
/** 0/1 flags on every dialect (TINYINT(1) on MySQL as in the seed). */
export type Flag = ColumnType<number, number | undefined, number>

export interface AiConnectionTable {
  id: Generated<number>
  name: string
  provider: string
  base_url: string
  api_key_encrypted: JsonColumn
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
  /** ai-runner's columns (absent on a seed database): the account pool and its bookkeeping. */
  pool?: string | null
  weight?: ColumnType<number, number | undefined, number>
  priority?: ColumnType<number, number | undefined, number>
  quota_limit?: number | null
  quota_used?: ColumnType<number, number | undefined, number>
  settings_json?: NullableJsonColumn
}

export interface AiModelTable {
  id: Generated<number>
  name: string
  connection_id: number
  defaults_json: NullableJsonColumn
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AiParamProfileTable {
  id: Generated<number>
  name: string
  params_json: JsonColumn
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AiPromptTable {
  id: Generated<number>
  name: string
  version: string
  description: string | null
  messages_json: JsonColumn
  response_format_json: NullableJsonColumn
  variables_json: NullableJsonColumn
  status: ColumnType<'active' | 'archived', 'active' | 'archived' | undefined, 'active' | 'archived'>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AiConfigTable {
  id: Generated<number>
  config_key: string
  model_id: number
  param_profile_id: number | null
  prompt_id: number | null
  description: string | null
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
}

/** The seed's columns first; the rest are ai-runner's and may be absent on a seed database. */
export interface AiCallLogsTable {
  id: Generated<number>
  config_key: string
  http_status: number
  duration_ms: number
  prompt_tokens: number | null
  completion_tokens: number | null
  total_tokens: number | null
  response_id: string | null
  error_code: string | null
  error_message: string | null
  request_body_json: NullableJsonColumn
  response_body_json: NullableJsonColumn
  created_at: Timestamp
  request_id: string | null
  status: string | null
  provider: string | null
  model: string | null
  connection_id: number | null
  config_id: number | null
  prompt_id: number | null
  attempts: number | null
  cost: ColumnType<number | string | null, number | null | undefined, number | null>
  cost_currency: string | null
  price_version: string | null
  usage_source: string | null
  cached_tokens: number | null
  reasoning_tokens: number | null
  ttft_ms: number | null
  app: string | null
  trigger_type: string | null
  user_id: string | null
  session_id: string | null
  api_key_id: number | null
  site_id: number | null
  route_key: string | null
}

/** Per-model prices per million tokens, editable; the version is recorded on each log row. */
export interface AiModelPriceTable {
  id: Generated<number>
  model_name: string
  provider: string
  input_per_mtok: ColumnType<number | string, number, number>
  output_per_mtok: ColumnType<number | string, number, number>
  cached_input_per_mtok: ColumnType<number | string | null, number | null | undefined, number | null>
  currency: string
  version: string
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
}

/** Gateway API keys: only the SHA-256 of each key is stored. */
export interface AiApiKeyTable {
  id: Generated<number>
  name: string
  key_prefix: string
  key_hash: string
  site_id: number | null
  /** JSON array of config keys (and model names); null = any. */
  allowed_config_keys: NullableJsonColumn
  rpm_limit: number | null
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
  revoked_at: ColumnType<Date | string | null, Date | string | null | undefined, Date | string | null>
  last_used_at: ColumnType<Date | string | null, Date | string | null | undefined, Date | string | null>
}

export interface AiRouteTable {
  id: Generated<number>
  project: string
  route_key: string
  strategy: string
  description: string | null
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AiRouteMemberTable {
  id: Generated<number>
  route_id: number
  config_key: string
  weight: ColumnType<number, number | undefined, number>
  priority: ColumnType<number, number | undefined, number>
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
}

/** Admin API credentials besides the admin token: only the SHA-256 of each secret is stored. */
export interface AiAdminCredentialTable {
  id: Generated<number>
  name: string
  role: 'admin' | 'viewer'
  key_prefix: string
  key_hash: string
  is_active: Flag
  created_at: Timestamp
  updated_at: Timestamp
  revoked_at: ColumnType<Date | string | null, Date | string | null | undefined, Date | string | null>
}

/** One change made through the admin API, secrets masked in `before_json`/`after_json`. */
export interface AiConfigChangeTable {
  id: Generated<number>
  actor: string
  action: string
  entity: string
  entity_id: number | null
  entity_key: string | null
  before_json: NullableJsonColumn
  after_json: NullableJsonColumn
  created_at: Timestamp
}

export interface Database {
  ai_connection: AiConnectionTable
  ai_model: AiModelTable
  ai_param_profile: AiParamProfileTable
  ai_prompt: AiPromptTable
  ai_config: AiConfigTable
  ai_call_logs: AiCallLogsTable
  ai_model_price: AiModelPriceTable
  ai_route: AiRouteTable
  ai_route_member: AiRouteMemberTable
  ai_api_key: AiApiKeyTable
  ai_admin_credential: AiAdminCredentialTable
  ai_config_change: AiConfigChangeTable
}

export type TableName = keyof Database

/** The six tables of the original module, with their exact names. */
export const SEED_TABLES = [
  'ai_connection',
  'ai_model',
  'ai_param_profile',
  'ai_prompt',
  'ai_config',
  'ai_call_logs',
] as const satisfies readonly TableName[]

/** The columns the original `ai_call_logs` always has. */
export const CALL_LOG_SEED_COLUMNS = [
  'config_key',
  'http_status',
  'duration_ms',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'response_id',
  'error_code',
  'error_message',
  'created_at',
] as const
