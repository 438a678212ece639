import { styleText } from 'node:util'
import type { CliIo } from './cli-io.js'

export type Colour = 'green' | 'red' | 'yellow' | 'cyan' | 'gray'

/** Paints text for a terminal, or leaves it as it is. */
export type Paint = (colour: Colour, text: string) => string

/**
 * Colour only on a terminal, and not when NO_COLOR is set to anything but an empty string
 * (https://no-color.org).
 */
export function paintFor(io: Pick<CliIo, 'stdout' | 'env'>): Paint {
  const terminal = (io.stdout as { isTTY?: boolean }).isTTY === true
  const refused = (io.env.NO_COLOR ?? '') !== ''
  // The decision is made here, for the command's own stdout, not by styleText for process.stdout.
  return terminal && !refused
    ? (colour, text) => styleText(colour, text, { validateStream: false })
    : (_colour, text) => text
}
