import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { rateLimit, resetRateLimits } from "../utils/rate-limit"

const REDIS_URL = process.env.RATE_LIMIT_TEST_REDIS_URL || "redis://localhost:6379/8"

/** A request as the middleware sees it, from `ip`, in an app whose config names Redis. */
const request = (ip: string) =>
  ({
    socket: { remoteAddress: ip },
    connection: { remoteAddress: ip },
    headers: {},
    get: () => undefined,
    scope: { resolve: (key: string) => (key === ContainerRegistrationKeys.CONFIG_MODULE ? { projectConfig: { redisUrl: REDIS_URL } } : undefined) },
  }) as any

/** Runs the middleware; resolves with the status it answered (429) or "next" when it let the request through. */
function run(middleware: any, ip: string): Promise<number | "next"> {
  return new Promise((resolve, reject) => {
    const res: any = {
      statusCode: 200,
      headers: {} as Record<string, string>,
      setHeader(k: string, v: string) {
        this.headers[k] = v
      },
      status(code: number) {
        this.statusCode = code
        return this
      },
      json() {
        resolve(this.statusCode)
      },
      on() {},
    }
    middleware(request(ip), res, (e?: unknown) => (e ? reject(e) : resolve("next")))
  })
}

describe("rate limits backed by Redis", () => {
  beforeAll(async () => {
    process.env.VIRTUAL_GOODS_RATE_LIMITS = JSON.stringify({ guest_link: { ip: [5, 60] } })
    const Redis = require("ioredis")
    const client = new Redis(REDIS_URL)
    await client.flushdb()
    await client.quit()
  })
  afterAll(async () => {
    delete process.env.VIRTUAL_GOODS_RATE_LIMITS
    await resetRateLimits()
  })

  it("counts are shared by every instance: a fresh one (a restart, another server) sees what was spent", async () => {
    const first = rateLimit("guest_link")
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await run(first, "198.51.100.20"))
    // Another instance: new limiter objects, the same Redis.
    await resetRateLimits()
    const second = rateLimit("guest_link")
    for (let i = 0; i < 3; i++) answers.push(await run(second, "198.51.100.20"))
    expect(answers).toEqual(["next", "next", "next", "next", "next", 429])
    expect(await run(second, "198.51.100.21")).toBe("next")
  })
})
