import { randomFillSync } from 'node:crypto'

const POOL_IDS = 256
const pool = Buffer.alloc(16 * POOL_IDS)
let offset = pool.length
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))
let lastMs = -1
let counter = 0

/**
 * A new request id: a UUID version 7 (RFC 9562), a millisecond timestamp followed by random bits,
 * with a counter in `rand_a` so that ids made in the same process sort in the order they were
 * made. Time-ordered ids keep the `ai_call_logs.request_id` index appending at its end instead
 * of splitting pages all over it, which random UUIDs do once the table is large.
 */
export function newRequestId(): string {
  if (offset === pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  const bytes = pool.subarray(offset, offset + 16)
  offset += 16
  let ms = Date.now()
  if (ms > lastMs) {
    lastMs = ms
    // A random start below 2^11 leaves room to count up within the millisecond.
    counter = ((bytes[6] as number) << 8 | (bytes[7] as number)) & 0x7ff
  } else {
    counter += 1
    if (counter > 0xfff) {
      lastMs += 1
      counter = 0
    }
    ms = lastMs
  }
  let high = Math.floor(ms / 0x1000000)
  let low = ms % 0x1000000
  for (let index = 2; index >= 0; index--) {
    bytes[index] = high & 0xff
    high = Math.floor(high / 0x100)
    bytes[index + 3] = low & 0xff
    low = Math.floor(low / 0x100)
  }
  bytes[6] = 0x70 | (counter >> 8)
  bytes[7] = counter & 0xff
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f)
  let text = ''
  for (let index = 0; index < 16; index++) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-'
    text += HEX[bytes[index] as number]
  }
  return text
}
