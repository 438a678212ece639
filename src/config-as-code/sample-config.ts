import { ValidationError } from '../errors/config-error.js'
import { listProviderIds } from '../providers/registry.js'
import { STRATEGY_IDS } from './route-entry-schema.js'

interface ProviderSample {
  baseUrl: string
  model: string
  /** Extra comment lines shown above base_url. */
  note?: string
}

/** Base URL and a typical model of every provider `cfg sample` knows. */
export const PROVIDER_SAMPLES: Readonly<Record<string, ProviderSample>> = {
  openai: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', model: 'google/gemini-2.5-flash' },
  deepseek: { baseUrl: 'https://api.deepseek.com', model: 'deepseek-chat' },
  zhipu: { baseUrl: 'https://open.bigmodel.cn/api/paas/v4', model: 'glm-4-flash' },
  qwen: { baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', model: 'qwen-plus' },
  qianfan: { baseUrl: 'https://qianfan.baidubce.com/v2', model: 'ernie-4.0-turbo-8k' },
  hunyuan: { baseUrl: 'https://api.hunyuan.cloud.tencent.com/v1', model: 'hunyuan-turbo' },
  google: {
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    model: 'gemini-2.5-flash',
  },
  gemini: {
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    model: 'gemini-2.5-flash',
    note: 'gemini: the native generateContent API (key sent as x-goog-api-key).',
  },
  anthropic: {
    baseUrl: 'https://api.anthropic.com',
    model: 'claude-sonnet-4-5',
    note: 'anthropic: the Messages API (x-api-key, anthropic-version 2023-06-01 by default).',
  },
  'dashscope-app': {
    baseUrl: 'https://dashscope.aliyuncs.com/api/v1',
    model: 'your-app-id',
    note: 'dashscope-app: a Bailian application; the model name is the APP_ID.',
  },
  qdd: {
    baseUrl: 'https://example.invalid/v1',
    model: 'your-model-name',
    note: 'qdd: put your gateway’s OpenAI-compatible base URL here (example.invalid is a stub).',
  },
  custom: {
    baseUrl: 'https://example.invalid/v1',
    model: 'your-model-name',
    note: 'custom: any OpenAI-compatible API; replace example.invalid with its base URL (…/v1).',
  },
  mock: {
    baseUrl: 'mock://local',
    model: 'mock-echo',
    note: 'mock: answers locally without any network call (demos, tests); any key will do.',
  },
}

/** The provider `cfg sample` writes when none is named (as the original module). */
export const DEFAULT_SAMPLE_PROVIDER = 'openrouter'

/** What `cfg sample` is asked for. */
export interface SampleOptions {
  provider?: string
  /** The provider's base URL, instead of the sample's (a custom or self-hosted endpoint). */
  baseUrl?: string
  /** The model id sent upstream, instead of the sample's. */
  model?: string
  /** Ask for JSON answers: `JSON_SCHEMA_ENFORCE` on the profile and a JSON prompt. */
  jsonAnswers?: boolean
}

function promptSection(jsonAnswers: boolean): string {
  if (!jsonAnswers) {
    return `  - name: single_chat
    version: v1
    description: One question, one short answer
    messages:                # {{NAME}}: filled from --var, else variables, else params
      - role: system
        content: You are a helpful assistant. Answer in one or two sentences.
      - role: user
        content: "{{QUESTION}}"
    variables:               # default values of the placeholders
      QUESTION: What is a good name for a tabby cat?
    status: active           # active | archived`
  }
  return `  - name: single_chat_json
    version: v1
    description: One question, the answer as a JSON object
    messages:                # {{NAME}}: filled from --var, else variables, else params
      - role: system
        content: 'Answer with a JSON object only: {"answer": "<one or two sentences>"}.'
      - role: user
        content: "{{QUESTION}}"
    response_format:         # checked: an answer that is not a JSON object fails SCHEMA_INVALID
      type: json_object
    variables:               # default values of the placeholders
      QUESTION: What is a good name for a tabby cat?
    status: active           # active | archived`
}

/**
 * A complete, commented configuration file for one provider, ready for `cfg verify` and `cfg apply`.
 *
 * @throws ValidationError for a provider the registry does not know.
 */
export function sampleConfig(options: SampleOptions = {}): string {
  const { provider = DEFAULT_SAMPLE_PROVIDER, jsonAnswers = false, ...overrides } = options
  const id = provider.trim().toLowerCase()
  const sample = PROVIDER_SAMPLES[id]
  if (!sample || !listProviderIds().includes(id)) {
    const known = listProviderIds().join(', ')
    throw new ValidationError(`Unknown provider "${provider}". Choose one of: ${known}.`)
  }
  const baseUrl = overrides.baseUrl ?? sample.baseUrl
  const model = overrides.model ?? sample.model
  const connection = `${id}_default`
  const keyEnv = `${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`
  const configKey = `${id}_single_chat`
  const profile = jsonAnswers ? 'json_answers' : 'default'
  const promptName = jsonAnswers ? 'single_chat_json' : 'single_chat'
  const note = sample.note && overrides.baseUrl === undefined ? `    # ${sample.note}\n` : ''
  const command = [
    `ai-runner cfg sample --provider ${id}`,
    ...(overrides.baseUrl === undefined ? [] : [`--base-url ${baseUrl}`]),
    ...(overrides.model === undefined ? [] : [`--model ${model}`]),
    ...(jsonAnswers ? ['--json-answers'] : []),
  ].join(' ')
  return `# ai-runner configuration as code (generated by: ${command})
#
#   ai-runner cfg verify -f <file> [--db-check]   # checks; --db-check also reads the database
#   ai-runner cfg apply -f <file> [--dry-run]     # create/update the rows, in one transaction
#   ai-runner run-once ${configKey} --var QUESTION="Why is the sky blue?"
#
# Keys are snake_case, as the database columns. Every section is optional; entities are matched by
# name (prompts by name + version, configs by config_key), so applying twice changes nothing.
version: 1

connections:                 # ai_connection: one provider account
  - name: ${connection}
    provider: ${id}          # one of: ${listProviderIds().join(', ')}
${note}    base_url: ${baseUrl}
    # The key NEVER goes in this file. Either name the environment variable that holds it
    # (read by cfg apply and stored encrypted with AI_PEPPER) ...
    api_key_env: ${keyEnv}
    # ... or paste an envelope from \`ai-runner keys encrypt\` / \`cfg export\` instead:
    # api_key_encrypted: { v: 1, alg: AES-256-GCM, iter: 200000, salt: ..., nonce: ..., ct: ... }
    is_active: true
    # Optional: connections of one pool (and provider) serve each other's models.
    # pool: main
    # weight: 1              # share under the weighted strategy
    # priority: 0            # lower is tried first
    # quota_limit: 1000000   # tokens; quota_used is counted by ai-runner, never set here
    # settings: { defaultMaxTokens: 4096 }   # vendor settings (never a credential)

models:                      # ai_model: the model id sent upstream, on a connection
  - name: ${model}
    connection: ${connection}
    defaults:                # lowest-priority parameters (profile and caller override them)
      TEMPERATURE: 0.7
    is_active: true

param_profiles:              # ai_param_profile: upper-case parameters
  # Sent upstream: TEMPERATURE, TOP_P, MAX_TOKENS, STREAM, STOP, N,
  #   FREQUENCY_PENALTY, PRESENCE_PENALTY.
  # Read by ai-runner: JSON_SCHEMA_ENFORCE (ask for and check JSON answers), ENFORCE_NO_ENGLISH,
  #   OUTPUT_RETRIES (how often an answer that fails a check is asked for again).
  - name: ${profile}
    params:
      TEMPERATURE: 0.3
      MAX_TOKENS: 256${jsonAnswers ? '\n      JSON_SCHEMA_ENFORCE: true' : ''}
    is_active: true

prompts:                     # ai_prompt: versioned templates; change messages in a new version
${promptSection(jsonAnswers)}

configs:                     # ai_config: the config_key callers use
  - config_key: ${configKey}
    model: ${model}
    param_profile: ${profile}       # optional
    prompt:                        # optional
      name: ${promptName}
      version: v1
    description: ${model}, one question and a short ${jsonAnswers ? 'JSON ' : ''}answer
    is_active: true

# routes:                    # ai_route: one route_key of a project over several config keys
#   - project: my_app
#     route_key: answer
#     strategy: priority     # one of: ${STRATEGY_IDS.join(', ')}
#     members:
#       - { config_key: ${configKey}, priority: 1, weight: 1 }
#
# prices:                    # ai_model_price: per million tokens; no provider = any provider
#   - { model: ${model}, input_per_mtok: 0.15, output_per_mtok: 0.6, currency: USD, version: '2026-01' }
`
}
