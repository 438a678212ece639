import { ConfigError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import { storeFailure } from '../store-failure.js'
import { configRepository, type ConfigRow } from './config-repository.js'
import { connectionRepository, type ConnectionRow } from './connection-repository.js'
import { modelRepository, type ModelRow } from './model-repository.js'
import { paramProfileRepository, type ParamProfileRow } from './param-profile-repository.js'
import { promptRepository, type PromptRow } from './prompt-repository.js'

/** Everything one `config_key` points at, as stored. */
export interface ConfigChain {
  /** Absent when a model is called by name, without a config key. */
  config: ConfigRow | undefined
  model: ModelRow
  connection: ConnectionRow
  paramProfile: ParamProfileRow | undefined
  prompt: PromptRow | undefined
}

const active = (row: { is_active: number | boolean }) => Number(row.is_active) === 1

/** Reads `config_key → ai_config → ai_model → ai_connection` (+ profile, prompt) and checks each link. */
export async function loadConfigChain(store: Store, configKey: string): Promise<ConfigChain> {
  try {
    const config = await configRepository.findByKey(store, configKey)
    if (!config) {
      throw new ConfigError('CONFIG_NOT_FOUND', `No ai_config row has config_key "${configKey}".`, {
        status: 404,
        hint: 'Check the key, list keys with `ai-runner cfg export`, or create it with `ai-runner cfg gen -f <file>`.',
      })
    }
    if (!active(config)) {
      throw new ConfigError('CONFIG_NOT_FOUND', `config_key "${configKey}" is inactive (ai_config.is_active = 0).`, {
        status: 404,
      })
    }
    const model = await modelRepository.findById(store, Number(config.model_id))
    if (!model) throw invalid(configKey, `its model_id ${config.model_id} has no ai_model row`)
    if (!active(model)) throw invalid(configKey, `its model "${model.name}" is inactive`)
    const connection = await connectionRepository.findById(store, Number(model.connection_id))
    if (!connection) throw invalid(configKey, `model "${model.name}" points at missing connection ${model.connection_id}`)
    if (!active(connection)) throw invalid(configKey, `its connection "${connection.name}" is inactive`)

    let paramProfile: ParamProfileRow | undefined
    if (config.param_profile_id !== null) {
      paramProfile = await paramProfileRepository.findById(store, Number(config.param_profile_id))
      if (!paramProfile) throw invalid(configKey, `its param_profile_id ${config.param_profile_id} has no row`)
      if (!active(paramProfile)) throw invalid(configKey, `its parameter profile "${paramProfile.name}" is inactive`)
    }
    let prompt: PromptRow | undefined
    if (config.prompt_id !== null) {
      prompt = await promptRepository.findById(store, Number(config.prompt_id))
      if (!prompt) throw invalid(configKey, `its prompt_id ${config.prompt_id} has no row`)
      if (prompt.status !== 'active') {
        throw invalid(configKey, `its prompt "${prompt.name}" ${prompt.version} is ${prompt.status}`)
      }
    }
    return { config, model, connection, paramProfile, prompt }
  } catch (error) {
    throw storeFailure(`Could not read the configuration of "${configKey}"`, error)
  }
}

function invalid(configKey: string, reason: string): ConfigError {
  return new ConfigError('CONFIG_INVALID', `config_key "${configKey}" cannot run: ${reason}.`, { status: 500 })
}

/** The chain of a model called by its `ai_model.name`: the model and its connection, nothing else. */
export async function loadModelChain(store: Store, modelName: string): Promise<ConfigChain> {
  try {
    const model = await modelRepository.findByName(store, modelName)
    if (!model || !active(model)) {
      throw new ConfigError('CONFIG_NOT_FOUND', `No active config key or model is named "${modelName}".`, { status: 404 })
    }
    const connection = await connectionRepository.findById(store, Number(model.connection_id))
    if (!connection || !active(connection)) {
      throw new ConfigError('CONFIG_INVALID', `Model "${modelName}" has no active connection.`, { status: 500 })
    }
    return { config: undefined, model, connection, paramProfile: undefined, prompt: undefined }
  } catch (error) {
    throw storeFailure(`Could not read model "${modelName}"`, error)
  }
}
