import { readFileSync } from 'node:fs'

/** Our package.json's `version` (two levels up from `src/config` and `dist/config`). */
export const PACKAGE_VERSION: string = (() => {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    return String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0')
  } catch {
    return '0.0.0'
  }
})()
