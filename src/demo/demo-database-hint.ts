import type { AppConfig } from '../config/app-config.js'
import { DEFAULT_SQLITE_PATH } from '../config/database-settings.js'

function sameDatabase(a: AppConfig, b: AppConfig): boolean {
  return JSON.stringify(a.database) === JSON.stringify(b.database)
}

/**
 * What to put before an `ai-runner …` command so it reaches the demo's database: nothing when the
 * project's own settings already point there, else `DATABASE_URL=sqlite:./data/ai-runner.db `
 * (the demo runs on SQLite even when DATABASE_URL names another database).
 */
export function demoDatabasePrefix(project: AppConfig, demo: AppConfig): string {
  return sameDatabase(project, demo) ? '' : `DATABASE_URL=sqlite:${DEFAULT_SQLITE_PATH} `
}
