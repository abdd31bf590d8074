import { DEFAULT_RATE_LIMITS, type RateLimitSurface } from "../../src/api/utils/rate-limit"

/**
 * Sets environment variables for this test file (`undefined` removes one) and restores the previous values after it.
 * Medusa's test runner loads medusa-config before it applies its `env` option, so call this at the top of the file,
 * before the runner.
 */
export function useEnv(vars: Record<string, string | undefined>) {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  apply(vars)
  afterAll(() => apply(previous))
}

/**
 * A `VIRTUAL_GOODS_RATE_LIMITS` value that lifts every limit of the given surfaces out of a suite's way (100,000 points
 * in each default window), for suites that send many requests from one address and measure something else: the rate
 * limits have their own suite.
 */
export function liftedRateLimits(...surfaces: RateLimitSurface[]): string {
  return JSON.stringify(
    Object.fromEntries(
      surfaces.map((surface) => [
        surface,
        Object.fromEntries(Object.entries(DEFAULT_RATE_LIMITS[surface]).map(([name, [, seconds]]) => [name, [100000, seconds]])),
      ])
    )
  )
}
