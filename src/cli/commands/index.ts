import type { CommandDefinition } from '../command-definition.js'
import { adminCreateCommand } from './admin/create.js'
import { apikeyCreateCommand } from './apikey/create.js'
import { apikeyListCommand } from './apikey/list.js'
import { apikeyRevokeCommand } from './apikey/revoke.js'
import { cfgApplyCommand } from './cfg/apply.js'
import { cfgDumpSchemaCommand } from './cfg/dump-schema.js'
import { cfgExportCommand } from './cfg/export.js'
import { cfgGenCommand } from './cfg/gen.js'
import { cfgSampleCommand } from './cfg/sample.js'
import { cfgVerifyCommand } from './cfg/verify.js'
import { dbMigrateCommand } from './db/migrate.js'
import { dbStatusCommand } from './db/status.js'
import { keysEncryptCommand } from './keys/encrypt.js'
import { keysPepperCommand } from './keys/pepper.js'
import { keysRotatePepperCommand } from './keys/rotate-pepper.js'
import { logsShowCommand } from './logs/show.js'
import { logsStatsCommand } from './logs/stats.js'
import { logsTailCommand } from './logs/tail.js'
import { poolsCommand } from './pools.js'
import { pricesListCommand } from './prices/list.js'
import { pricesSetCommand } from './prices/set.js'
import { quickstartCommand } from './quickstart.js'
import { routesCommand } from './routes.js'
import { runOnceCommand } from './run-once.js'
import { runRouteCommand } from './run-route.js'
import { serveCommand } from './serve.js'

/** Every CLI verb, one line each. */
export const COMMANDS: readonly CommandDefinition[] = [
  runOnceCommand,
  runRouteCommand,
  serveCommand,
  quickstartCommand,
  dbMigrateCommand,
  dbStatusCommand,
  keysPepperCommand,
  keysEncryptCommand,
  keysRotatePepperCommand,
  cfgSampleCommand,
  cfgVerifyCommand,
  cfgApplyCommand,
  cfgGenCommand,
  cfgExportCommand,
  cfgDumpSchemaCommand,
  apikeyCreateCommand,
  apikeyListCommand,
  apikeyRevokeCommand,
  adminCreateCommand,
  pricesListCommand,
  pricesSetCommand,
  logsTailCommand,
  logsShowCommand,
  logsStatsCommand,
  routesCommand,
  poolsCommand,
]

export const GROUP_DESCRIPTIONS: Record<string, string> = {
  prices: 'Model prices used to compute the cost of each call',
  db: 'Create and inspect ai-runner’s tables',
  keys: 'Make a pepper, encrypt provider keys and rotate the pepper',
  cfg: 'Configuration as code (YAML): sample, verify, apply (or gen), export, dump-schema',
  apikey: 'Create, list and revoke gateway API keys',
  logs: 'Follow, show and sum up the calls recorded in ai_call_logs',
}
