import { createHash } from 'node:crypto'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Somewhere to keep audit bodies too large for their database column. */
export interface BlobStore {
  /** Stores `body` under `key` and returns its location (a path or a URL). */
  put(key: string, body: string): Promise<string>
}

/** What replaces a spilled body in the audit row. */
export interface BlobPointer {
  $blob: string
  bytes: number
  sha256: string
}

const MAX_KEY_LENGTH = 200

/** Replaces every character outside `[A-Za-z0-9_.-]` with `_`, so a key is a safe file name. */
export function sanitizeBlobKey(key: string): string {
  const clean = key.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX_KEY_LENGTH)
  return clean === '' || /^\.+$/.test(clean) ? `_${clean}` : clean
}

/**
 * A blob store on the local disk: `<directory>/<yyyy-mm-dd>/<key>.json` (UTC date), readable
 * by the owner only since bodies may hold user data.
 */
export function createLocalBlobStore(directory: string): BlobStore {
  return {
    async put(key, body) {
      const day = new Date().toISOString().slice(0, 10)
      const folder = join(directory, day)
      await mkdir(folder, { recursive: true, mode: 0o700 })
      const path = join(folder, `${sanitizeBlobKey(key)}.json`)
      await writeFile(path, body, { encoding: 'utf8', mode: 0o600 })
      // `mode` only applies when the file is created; an overwritten file keeps its old mode.
      await chmod(path, 0o600)
      return path
    },
  }
}

/**
 * Keeps a JSON text inline when it fits in `maxBytes` (UTF-8); otherwise stores it and returns
 * the JSON text of a {@link BlobPointer} to it.
 */
export async function spillIfLarge(
  text: string,
  options: { maxBytes: number; store: BlobStore; key: string },
): Promise<string> {
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit: short texts need no counting.
  if (text.length * 3 <= options.maxBytes) return text
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes <= options.maxBytes) return text
  const location = await options.store.put(sanitizeBlobKey(options.key), text)
  const pointer: BlobPointer = {
    $blob: location,
    bytes,
    sha256: createHash('sha256').update(text).digest('hex'),
  }
  return JSON.stringify(pointer)
}
