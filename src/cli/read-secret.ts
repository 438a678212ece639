import { ValidationError } from '../errors/config-error.js'
import type { CliIo } from './cli-io.js'

/**
 * Reads a secret from piped stdin, or asks for it on a terminal without echoing it. Secrets are
 * never taken from argv, where shell history and `ps` would keep them.
 */
export async function readSecret(io: CliIo, prompt: string): Promise<string> {
  const value = io.stdin.isTTY ? await promptHidden(io, prompt) : await readAll(io)
  const secret = value.replace(/\r?\n$/, '')
  if (!secret) throw new ValidationError(`${prompt.replace(/:\s*$/, '')} is empty: pipe it on stdin or type it at the prompt.`)
  return secret
}

async function readAll(io: CliIo): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}

function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin as NodeJS.ReadStream
  io.stderr.write(prompt)
  return new Promise((resolve, reject) => {
    let value = ''
    input.setRawMode?.(true)
    input.resume()
    input.setEncoding('utf8')
    const finish = (error?: Error) => {
      input.setRawMode?.(false)
      input.pause()
      input.removeListener('data', onData)
      io.stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (text: string) => {
      for (const character of text) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish()
        if (character === '\u0003') return finish(new ValidationError('Cancelled.'))
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1)
        else value += character
      }
    }
    input.on('data', onData)
  })
}
