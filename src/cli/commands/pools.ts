import { listPools } from '../../store/repositories/pool-list-repository.js'
import { defineCommand } from '../command-definition.js'
import { formatTable } from '../format-table.js'

export const poolsCommand = defineCommand({
  path: ['pools'],
  description: 'List account pools (connections sharing a pool name): weight, priority, quota and active flag of each connection',
  async run(_args, session) {
    const pools = await listPools(session.store({ pepper: false }))
    if (pools.length === 0) {
      return { data: { pools }, text: 'No pools yet: no connection has a pool name (ai_connection.pool).' }
    }
    const rows = pools.flatMap((pool) =>
      pool.connections.map((connection, index) => [
        index === 0 ? pool.pool : '',
        connection.name,
        String(connection.id),
        connection.provider,
        String(connection.weight),
        String(connection.priority),
        String(connection.quota_used),
        connection.quota_limit === null ? '-' : String(connection.quota_limit),
        connection.active ? 'yes' : 'no',
      ]),
    )
    const header = ['POOL', 'CONNECTION', 'ID', 'PROVIDER', 'WEIGHT', 'PRIORITY', 'QUOTA USED', 'QUOTA LIMIT', 'ACTIVE']
    return { data: { pools }, text: formatTable(header, rows) }
  },
})
