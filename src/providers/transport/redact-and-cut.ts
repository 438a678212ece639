/** Upper bound, in UTF-8 bytes, of an upstream body kept on an error. */
export const MAX_ERROR_BODY_BYTES = 2048

/** Removes the key wherever it appears and cuts the text to at most `maxBytes` UTF-8 bytes. */
export function redactAndCut(text: string, apiKey: string, maxBytes: number): string {
  const redacted =
    apiKey.length >= 4 && text.includes(apiKey) ? text.replaceAll(apiKey, '***') : text
  if (redacted.length * 3 <= maxBytes || Buffer.byteLength(redacted) <= maxBytes) return redacted
  // 3 bytes for the ellipsis; a code point cut in half decodes to U+FFFD, which is dropped.
  const cut = Buffer.from(redacted).subarray(0, maxBytes - 3).toString('utf8')
  return `${cut.replace(/\uFFFD+$/, '')}…`
}
