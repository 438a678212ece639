import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

interface LockedPackage {
  version?: string
  optional?: boolean
  engines?: { node?: string }
}

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8')) as T
const ours = read<{ engines: { node: string } }>('package.json').engines.node
const locked = read<{ packages: Record<string, LockedPackage> }>('package-lock.json').packages

describe('the Node.js versions package.json declares', () => {
  it('is a valid range that includes the Node.js running the tests', () => {
    expect(semver.validRange(ours)).not.toBeNull()
    expect(semver.satisfies(process.version, ours)).toBe(true)
  })

  it('fits within what every installed package declares, so npm install prints no EBADENGINE warning', () => {
    const misfits = Object.entries(locked)
      .filter(([path, entry]) => path !== '' && !entry.optional && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.subset(ours, entry.engines?.node ?? '*'))
      .map(([path, entry]) => `${path}@${entry.version}: ${entry.engines?.node}`)
    expect(misfits).toEqual([])
  })
})

describe('the licence', () => {
  it('LICENSE is the licence package.json names', () => {
    const { license } = read<{ license: string }>('package.json')
    expect(license).toBe('MIT')
    expect(readFileSync(new URL('../../LICENSE', import.meta.url), 'utf8')).toMatch(/^MIT License\n/)
  })
})
