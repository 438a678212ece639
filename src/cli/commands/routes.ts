import { listRoutes } from '../../store/repositories/route-list-repository.js'
import { defineCommand } from '../command-definition.js'
import { formatTable } from '../format-table.js'

const yesNo = (flag: boolean): string => (flag ? 'yes' : 'no')

export const routesCommand = defineCommand({
  path: ['routes'],
  description: 'List routes (a project’s route key over several config keys): strategy, active flag and members',
  configure: (command) => command.option('--project <name>', 'only the routes of this project'),
  async run({ options }, session) {
    const project = typeof options.project === 'string' ? options.project.trim() : undefined
    const routes = await listRoutes(session.store({ pepper: false }), project ? { project } : {})
    if (routes.length === 0) {
      return { data: { routes }, text: project ? `No routes in project "${project}".` : 'No routes yet.' }
    }
    const rows = routes.flatMap((route) => {
      const head = [`${route.project}/${route.route_key}`, route.strategy, yesNo(route.active)]
      const blank = head.map(() => '')
      if (route.members.length === 0) return [[...head, '(no members)', '', '', '']]
      return route.members.map((member, index) => [
        ...(index === 0 ? head : blank),
        member.config_key,
        String(member.weight),
        String(member.priority),
        yesNo(member.active),
      ])
    })
    const header = ['ROUTE', 'STRATEGY', 'ACTIVE', 'MEMBER', 'WEIGHT', 'PRIORITY', 'MEMBER ACTIVE']
    return { data: { routes }, text: formatTable(header, rows) }
  },
})
