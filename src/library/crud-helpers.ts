import type { AppConfig } from '../config/app-config.js'
import { encryptConnectionKey } from '../configuration/encrypt-connection-key.js'
import { ConfigError, ValidationError } from '../errors/config-error.js'
import type { AddResult } from '../store/repositories/add-if-absent.js'
import { configRepository, type ConfigRow } from '../store/repositories/config-repository.js'
import { connectionRepository, type ConnectionRow } from '../store/repositories/connection-repository.js'
import { modelRepository, type ModelRow } from '../store/repositories/model-repository.js'
import { paramProfileRepository, type ParamProfileRow } from '../store/repositories/param-profile-repository.js'
import { promptRepository, type PromptRow } from '../store/repositories/prompt-repository.js'
import type { PromptInput } from '../store/repositories/entity-inputs.js'
import { getRoutingStrategy } from '../routing/strategies/index.js'
import { routeRepository } from '../store/repositories/route-repository.js'
import { contextFor } from './runtime.js'

interface WithConfig {
  config?: AppConfig
}

function storeOf(options: WithConfig) {
  return contextFor(options.config, { pepper: false }).store
}

function notFound(what: string): ConfigError {
  return new ConfigError('CONFIG_NOT_FOUND', `${what} does not exist.`, { status: 404 })
}

/**
 * Adds a provider connection unless one with this name exists. Give the key in plaintext
 * (`apiKey`, encrypted here with AI_PEPPER and never stored as is) or already encrypted.
 */
export async function addConnectionIfAbsent(
  input: { name: string; provider: string; baseUrl: string; apiKey?: string; apiKeyEncrypted?: Record<string, unknown>; isActive?: boolean },
  options: WithConfig = {},
): Promise<AddResult> {
  const context = contextFor(options.config, { pepper: false })
  const existing = await connectionRepository.findByName(context.store, input.name)
  if (existing) return { id: Number(existing.id), existed: true }
  let envelope = input.apiKeyEncrypted
  if (!envelope) {
    if (!input.apiKey) throw new ValidationError('Give the connection an apiKey (plaintext, encrypted here) or apiKeyEncrypted.')
    envelope = { ...(await encryptConnectionKey(context.config, input.apiKey)) }
  }
  return connectionRepository.addIfAbsent(context.store, {
    name: input.name,
    provider: input.provider,
    baseUrl: input.baseUrl,
    apiKeyEncrypted: envelope,
    isActive: input.isActive,
  })
}

/** Adds a model on a named connection unless a model with this name exists. */
export async function addModelIfAbsent(
  input: { name: string; connection: string; defaults?: Record<string, unknown> | null; isActive?: boolean },
  options: WithConfig = {},
): Promise<AddResult> {
  const store = storeOf(options)
  const connection = await connectionRepository.findByName(store, input.connection)
  if (!connection) throw notFound(`Connection "${input.connection}"`)
  return modelRepository.addIfAbsent(store, {
    name: input.name,
    connectionId: Number(connection.id),
    defaults: input.defaults ?? null,
    isActive: input.isActive,
  })
}

/** Adds a parameter profile unless one with this name exists. */
export function addParamProfileIfAbsent(
  name: string,
  params: Record<string, unknown>,
  options: WithConfig = {},
): Promise<AddResult> {
  return paramProfileRepository.addIfAbsent(storeOf(options), { name, params })
}

/** Adds a prompt version unless (name, version) exists. */
export function addPromptIfAbsent(input: PromptInput, options: WithConfig = {}): Promise<AddResult> {
  return promptRepository.addIfAbsent(storeOf(options), input)
}

/** Adds a config key pointing at a model, and optionally a profile and a prompt version, by name. */
export async function addConfigIfAbsent(
  input: {
    configKey: string
    model: string
    paramProfile?: string
    prompt?: { name: string; version: string }
    description?: string
    isActive?: boolean
  },
  options: WithConfig = {},
): Promise<AddResult> {
  const store = storeOf(options)
  const model = await modelRepository.findByName(store, input.model)
  if (!model) throw notFound(`Model "${input.model}"`)
  let paramProfileId: number | null = null
  if (input.paramProfile) {
    const profile = await paramProfileRepository.findByName(store, input.paramProfile)
    if (!profile) throw notFound(`Parameter profile "${input.paramProfile}"`)
    paramProfileId = Number(profile.id)
  }
  let promptId: number | null = null
  if (input.prompt) {
    const prompt = await promptRepository.findByNameVersion(store, input.prompt.name, input.prompt.version)
    if (!prompt) throw notFound(`Prompt "${input.prompt.name}" ${input.prompt.version}`)
    promptId = Number(prompt.id)
  }
  return configRepository.addIfAbsent(store, {
    configKey: input.configKey,
    modelId: Number(model.id),
    paramProfileId,
    promptId,
    description: input.description ?? null,
    isActive: input.isActive,
  })
}

export function getConnectionByName(name: string, options: WithConfig = {}): Promise<ConnectionRow | undefined> {
  return connectionRepository.findByName(storeOf(options), name)
}

export function getModelByName(name: string, options: WithConfig = {}): Promise<ModelRow | undefined> {
  return modelRepository.findByName(storeOf(options), name)
}

export function getParamProfileByName(name: string, options: WithConfig = {}): Promise<ParamProfileRow | undefined> {
  return paramProfileRepository.findByName(storeOf(options), name)
}

export function getPrompt(name: string, version: string, options: WithConfig = {}): Promise<PromptRow | undefined> {
  return promptRepository.findByNameVersion(storeOf(options), name, version)
}

export function getConfigByKey(configKey: string, options: WithConfig = {}): Promise<ConfigRow | undefined> {
  return configRepository.findByKey(storeOf(options), configKey)
}

/** Adds a route `project/routeKey` unless it exists; without a strategy it gets DEFAULT_ROUTING_STRATEGY. */
export async function addRouteIfAbsent(
  input: { project: string; routeKey: string; strategy?: string; description?: string },
  options: WithConfig = {},
): Promise<AddResult> {
  const context = contextFor(options.config, { pepper: false })
  const given = input.strategy?.trim() ?? ''
  const strategy = given === '' ? context.config.settings.defaultRoutingStrategy : getRoutingStrategy(given).id
  return routeRepository.addIfAbsent(context.store, { ...input, strategy })
}

/** Adds a config key to a route unless it is a member already. */
export async function addRouteMemberIfAbsent(
  input: { project: string; routeKey: string; configKey: string; weight?: number; priority?: number },
  options: WithConfig = {},
): Promise<AddResult> {
  const store = storeOf(options)
  const route = await routeRepository.findId(store, input.project, input.routeKey)
  if (!route) throw notFound(`Route "${input.project}/${input.routeKey}"`)
  if (!(await configRepository.findByKey(store, input.configKey))) throw notFound(`Config key "${input.configKey}"`)
  return routeRepository.addMemberIfAbsent(store, {
    routeId: Number(route.id),
    configKey: input.configKey,
    weight: input.weight,
    priority: input.priority,
  })
}
