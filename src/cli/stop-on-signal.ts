/**
 * An abort signal that fires on the first SIGINT or SIGTERM (or on `abort()`) until `release`
 * removes the listeners.
 */
export function stopOnSignal(): { signal: AbortSignal; abort(): void; release(): void } {
  const controller = new AbortController()
  const abort = () => controller.abort()
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  return {
    signal: controller.signal,
    abort,
    release() {
      process.off('SIGINT', abort)
      process.off('SIGTERM', abort)
    },
  }
}
