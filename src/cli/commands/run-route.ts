import { ValidationError } from '../../errors/config-error.js'
import { defineCommand } from '../command-definition.js'
import { configureRunOptions, runFromCli } from '../run-command-support.js'

export const runRouteCommand = defineCommand({
  path: ['run-route'],
  description: 'Run a route: its members are tried in the order of its strategy, failing over on errors',
  configure: (command) =>
    configureRunOptions(command.argument('[project]', 'the route’s project').argument('[route_key]', 'the route key')),
  async run({ operands, options }, session, io) {
    const [project, routeKey] = operands
    if (!project || !routeKey) throw new ValidationError('Name the route to run: ai-runner run-route <project> <route_key>')
    return runFromCli({ kind: 'route', project, routeKey }, options, session, io)
  },
})
