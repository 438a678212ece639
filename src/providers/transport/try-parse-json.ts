/**
 * Parses an upstream body that may be JSON: `undefined` unless it starts (after white space) like
 * an object, or like an array when `allowArray`, and parses.
 */
export function tryParseJson(text: string, allowArray: boolean): unknown {
  const start = text.trimStart()[0]
  if (start !== '{' && (!allowArray || start !== '[')) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
