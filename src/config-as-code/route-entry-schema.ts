import { z } from 'zod'
import { ROUTING_STRATEGIES } from '../routing/strategies/index.js'
import { boolean, expected, list, strictObject, text, wholeNumber } from './schema-helpers.js'

/** The strategies a route may name, as `routing/strategies` registers them. */
export const STRATEGY_IDS = Object.keys(ROUTING_STRATEGIES)

const strategy = z.string(expected('text')).refine((id) => STRATEGY_IDS.includes(id), {
  error: (issue) =>
    `unknown strategy ${JSON.stringify(issue.input)}; one of: ${STRATEGY_IDS.join(', ')}`,
})

/** One `ai_route_member` row: a config key of the route. */
export const routeMemberSchema = strictObject({
  config_key: text(120),
  weight: wholeNumber(0).default(1),
  priority: wholeNumber().default(0),
  is_active: boolean.default(true),
})

/** One `ai_route` row with its members; matched by (project, route_key). */
export const routeSchema = strictObject({
  project: text(120),
  route_key: text(120),
  strategy: strategy.default('priority'),
  description: z.string(expected('text')).nullable().default(null),
  is_active: boolean.default(true),
  members: list(routeMemberSchema).default([]),
})
