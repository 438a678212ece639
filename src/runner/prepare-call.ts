import { decryptApiKey } from '../crypto/key-envelope.js'
import { EnvMissingError } from '../errors/config-error.js'
import type { ProviderAdapter, ProviderTarget } from '../providers/provider-adapter.js'
import type { ConfigChain } from '../store/repositories/config-chain-repository.js'
import type { ConnectionRow } from '../store/repositories/connection-repository.js'
import { connectionOptions } from './connection-options.js'
import { assembleRequest, type AssembledRequest } from './assemble-request.js'
import type { RunOptions } from './run-options.js'
import type { RunnerContext } from './runner-context.js'

/** A call ready to send: the adapter, the upstream account and the assembled body. */
export interface PreparedCall {
  adapter: ProviderAdapter
  target: ProviderTarget
  assembled: AssembledRequest
}

const decrypted = new WeakMap<ConnectionRow, { pepper: string; key: Promise<string> }>()

/**
 * The connection's key, decrypted once per row object: a cached configuration (the gateway's)
 * reuses it in memory; a row read afresh is decrypted afresh.
 */
function decryptConnectionKey(connection: ConnectionRow, pepper: string): Promise<string> {
  const known = decrypted.get(connection)
  if (known && known.pepper === pepper) return known.key
  const key = decryptApiKey(connection.api_key_encrypted, pepper)
  decrypted.set(connection, { pepper, key })
  key.catch(() => decrypted.delete(connection))
  return key
}

/**
 * Assembles the request, then decrypts the connection's key in memory. Every failure here
 * (unfilled placeholder, wrong pepper, unknown provider) happens before any network call.
 */
export async function prepareCall(
  context: RunnerContext,
  chain: ConfigChain,
  options: RunOptions,
): Promise<PreparedCall> {
  const adapter = context.getAdapter(chain.connection.provider)
  const assembled = assembleRequest({
    modelName: chain.model.name,
    modelDefaults: chain.model.defaults_json,
    params: chain.paramProfile?.params_json ?? null,
    promptMessages: chain.prompt?.messages_json ?? null,
    promptResponseFormat: chain.prompt?.response_format_json ?? null,
    promptVariables: chain.prompt?.variables_json ?? null,
    variables: options.variables,
    messages: options.messages,
    overrides: options.parameters,
    jsonSchemaEnforceDefault: context.config.jsonSchemaEnforce,
  })
  if (context.config.enforceNoEnglish) assembled.checks.enforceNoEnglish = true
  if (options.extraBody) {
    for (const [field, value] of Object.entries(options.extraBody)) {
      if (field !== 'model' && field !== 'messages' && field !== 'stream' && value !== undefined) assembled.body[field] = value
    }
  }
  if (options.sessionId && adapter.keepsSessions) assembled.body.session_id = options.sessionId
  if (options.onDelta || options.onChunk) assembled.body.stream = true
  if (assembled.body.stream === true) assembled.body.stream_options = { include_usage: true }

  const pepper = context.config.pepper
  if (!pepper) throw new EnvMissingError(['AI_PEPPER'])
  const apiKey = await decryptConnectionKey(chain.connection, pepper)
  const target: ProviderTarget = { provider: chain.connection.provider, baseUrl: chain.connection.base_url, apiKey }
  const vendorOptions = connectionOptions(chain.connection)
  if (vendorOptions) target.options = vendorOptions
  return { adapter, assembled, target }
}
