/** The one source of "now" for audit rows and windows; tests and sandboxes replace it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
