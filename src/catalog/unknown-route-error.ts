import { ConfigError } from '../errors/config-error.js'

const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`

/**
 * A `model` of the form `project/route_key` that is no config key, no active route and no model
 * name: says it was read as a route, what else was checked, and how to list or create routes.
 */
export function unknownRouteError(project: string, routeKey: string): ConfigError {
  const model = `${project}/${routeKey}`
  return new ConfigError(
    'CONFIG_NOT_FOUND',
    `"${model}" reads as a route (project/route_key), but no active route "${routeKey}" exists in project ` +
      `"${project}" (ai_route), and no config key or model is named "${model}" either. ` +
      `List the project's routes with SELECT route_key FROM ai_route WHERE project = ${sqlText(project)} AND is_active = 1; ` +
      'create one with the library’s addRouteIfAbsent({ project, routeKey, strategy }) and ' +
      'addRouteMemberIfAbsent({ project, routeKey, configKey }), or rows in ai_route and ai_route_member.',
    { status: 404 },
  )
}
