import { RequestError } from '../../errors/provider-error.js'

/** `JSON.stringify(value)`; any failure (a cycle, a BigInt) becomes a `RequestError`. */
export function serialiseRequest(providerId: string, value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch (error) {
    throw cannotSerialise(providerId, error)
  }
}

/**
 * Builds the vendor's body with `convert` and serialises it. A `RequestError` thrown on the way
 * (a request the vendor cannot express) passes through; any other failure becomes one.
 */
export function convertRequest(providerId: string, convert: () => unknown): string {
  try {
    return JSON.stringify(convert())
  } catch (error) {
    if (error instanceof RequestError) throw error
    throw cannotSerialise(providerId, error)
  }
}

function cannotSerialise(providerId: string, cause: unknown): RequestError {
  return new RequestError(`Could not serialise the request for provider ${providerId}.`, { cause })
}
