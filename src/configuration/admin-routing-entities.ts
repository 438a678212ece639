import { z } from 'zod'
import { ROUTING_STRATEGY_IDS } from '../config/routing-strategy-ids.js'
import { ConfigError } from '../errors/config-error.js'
import { configRepository } from '../store/repositories/config-repository.js'
import { entityTableRepository } from '../store/repositories/entity-table-repository.js'
import type { AdminEntity } from './admin-entity.js'
import { columnValues, flag, text } from './admin-entity-fields.js'


const routeFields = {
  project: text(120),
  route_key: text(120),
  strategy: z.enum(ROUTING_STRATEGY_IDS, { message: `must be one of ${ROUTING_STRATEGY_IDS.join(', ')}` }),
  description: z.string().max(2000, 'must be at most 2000 characters').nullable(),
  is_active: flag,
}

/** `ai_route`: a project's route key, ordered over its members by a strategy. */
export const routesEntity: AdminEntity = {
  name: 'routes',
  table: 'ai_route',
  keyColumn: 'route_key',
  filterable: ['project', 'route_key', 'strategy', 'is_active'],
  sortable: ['id', 'project', 'route_key', 'created_at', 'updated_at'],
  create: z.strictObject({ ...routeFields, description: routeFields.description.default(null), is_active: flag.default(true) }),
  update: z.strictObject(routeFields).partial(),
  toColumns: async (input) => columnValues(input),
  present: (row) => row,
}

const memberFields = {
  route_id: z.number().int().positive(),
  config_key: text(120),
  weight: z.number().int().min(0).max(1_000_000),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  is_active: flag,
}

/** `ai_route_member`: a config key in a route, with its weight and priority. */
export const routeMembersEntity: AdminEntity = {
  name: 'route-members',
  table: 'ai_route_member',
  keyColumn: 'config_key',
  filterable: ['route_id', 'config_key', 'is_active'],
  sortable: ['id', 'route_id', 'config_key', 'priority', 'weight'],
  create: z.strictObject({ ...memberFields, weight: memberFields.weight.default(1), priority: memberFields.priority.default(0), is_active: flag.default(true) }),
  update: z.strictObject(memberFields).partial(),
  async toColumns(input, scope) {
    if (typeof input.route_id === 'number' && !(await entityTableRepository.findById(scope.store, 'ai_route', input.route_id))) {
      throw new ConfigError('CONFIG_NOT_FOUND', `route_id: no route has id ${input.route_id}.`, { status: 404 })
    }
    if (typeof input.config_key === 'string' && !(await configRepository.findByKey(scope.store, input.config_key))) {
      throw new ConfigError('CONFIG_NOT_FOUND', `config_key: no config key "${input.config_key}".`, { status: 404 })
    }
    return columnValues(input)
  },
  present: (row) => row,
}

const money = z.number().min(0, 'must be 0 or more').max(1_000_000, 'must be at most 1000000')
const priceFields = {
  model_name: text(120),
  provider: z.string().trim().max(50, 'must be at most 50 characters'),
  input_per_mtok: money,
  output_per_mtok: money,
  cached_input_per_mtok: money.nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as USD or CNY'),
  version: text(40),
  is_active: flag,
}

/** `ai_model_price`: what a model costs per million tokens, by provider ('' = any). */
export const pricesEntity: AdminEntity = {
  name: 'prices',
  table: 'ai_model_price',
  keyColumn: 'model_name',
  filterable: ['model_name', 'provider', 'currency', 'is_active'],
  sortable: ['id', 'model_name', 'provider', 'created_at', 'updated_at'],
  create: z.strictObject({ ...priceFields, provider: priceFields.provider.default(''), cached_input_per_mtok: priceFields.cached_input_per_mtok.default(null), is_active: flag.default(true) }),
  update: z.strictObject(priceFields).partial(),
  toColumns: async (input) => columnValues(input),
  present: (row) => row,
}
