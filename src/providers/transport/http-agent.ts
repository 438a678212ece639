import { Agent } from 'undici'

let agent: Agent | undefined

/** The process-wide keep-alive pool all provider calls share, made on first use. */
export function getHttpAgent(): Agent {
  agent ??= new Agent({ keepAliveTimeout: 30_000, connections: 128, pipelining: 1 })
  return agent
}

/** Closes the shared pool (tests, clean shutdown). The next call opens a new one. */
export async function closeHttpAgent(): Promise<void> {
  const current = agent
  agent = undefined
  if (current !== undefined) await current.close()
}
