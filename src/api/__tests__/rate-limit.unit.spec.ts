import http from "http"
import type { AddressInfo } from "net"
import express from "express"
import { errorHandler } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import {
  clientIp,
  DEFAULT_RATE_LIMITS,
  isFailure,
  rateLimit,
  rateLimitActor,
  rateLimitsFromEnv,
  resetRateLimits,
  retryAfterSeconds,
  tooManyRequestsBody,
  trustedProxies,
} from "../utils/rate-limit"

const req = (remoteAddress: string, forwardedFor?: string) => ({
  socket: { remoteAddress },
  connection: { remoteAddress },
  headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
})

describe("client IP", () => {
  it("is the socket's peer when no proxy is trusted: X-Forwarded-For from anyone is ignored", () => {
    const none = trustedProxies("")
    expect(clientIp(req("203.0.113.7", "198.51.100.1"), none)).toBe("203.0.113.7")
    expect(clientIp(req("127.0.0.1", "198.51.100.1, 10.0.0.2"), none)).toBe("127.0.0.1")
    // An IPv4 peer of a dual-stack socket has one spelling.
    expect(clientIp(req("::ffff:203.0.113.7"), none)).toBe("203.0.113.7")
  })

  it("behind trusted proxies, is the nearest address that is not one of them", () => {
    const trust = trustedProxies("loopback, 10.0.0.0/8")
    // client → 10.0.0.2 (trusted) → 127.0.0.1 (trusted) → app
    expect(clientIp(req("127.0.0.1", "198.51.100.1, 10.0.0.2"), trust)).toBe("198.51.100.1")
    // A forged entry to the left of the real client changes nothing: the nearest untrusted address wins.
    expect(clientIp(req("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2"), trust)).toBe("198.51.100.1")
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    expect(clientIp(req("203.0.113.7", "198.51.100.1"), trust)).toBe("203.0.113.7")
  })
})

describe("rate limit settings", () => {
  it("defaults, with VIRTUAL_GOODS_RATE_LIMITS merged over them", () => {
    expect(rateLimitsFromEnv("")).toEqual(DEFAULT_RATE_LIMITS)
    const limits = rateLimitsFromEnv(JSON.stringify({ guest_link: { ip: [5, 60] } }))
    expect(limits.guest_link).toEqual({ ...DEFAULT_RATE_LIMITS.guest_link, ip: [5, 60] })
    expect(limits.wholesale).toEqual(DEFAULT_RATE_LIMITS.wholesale)
  })

  it.each([
    ["not json", "VIRTUAL_GOODS_RATE_LIMITS must be JSON, e.g. {\"guest_link\":{\"ip\":[10,60]}}"],
    [JSON.stringify({ checkout: { ip: [1, 1] } }), `VIRTUAL_GOODS_RATE_LIMITS: unknown surface checkout (one of ${Object.keys(DEFAULT_RATE_LIMITS).join(", ")})`],
    [JSON.stringify({ reveal: { burst: [1, 1] } }), "VIRTUAL_GOODS_RATE_LIMITS.reveal: unknown limit burst"],
    [JSON.stringify({ reveal: { ip: [0, 60] } }), "VIRTUAL_GOODS_RATE_LIMITS.reveal.ip must be [points, seconds] (positive integers)"],
    [JSON.stringify({ reveal: { ip: 10 } }), "VIRTUAL_GOODS_RATE_LIMITS.reveal.ip must be [points, seconds] (positive integers)"],
  ])("refuses %s", (raw, message) => {
    expect(() => rateLimitsFromEnv(raw)).toThrow(message)
  })
})

describe("answers of the limiters", () => {
  it("401, 403 and 404 are failures; a refused order (400), a 429 or a success are not", () => {
    expect([401, 403, 404].map(isFailure)).toEqual([true, true, true])
    expect([200, 201, 400, 409, 429, 500].map(isFailure)).toEqual([false, false, false, false, false, false])
  })

  it("Retry-After is whole seconds rounded up, at least 1", () => {
    expect([1, 999, 1000, 1001, 264_001, 900_000].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 265, 900])
    expect([0, -5, Number.NaN].map(retryAfterSeconds)).toEqual([1, 1, 1])
  })

  it("every 429 has one body, whichever limit was spent", () => {
    expect(tooManyRequestsBody(265)).toEqual({ type: "too_many_requests", message: "Too many requests: retry after 265 seconds" })
  })
})

/**
 * The middlewares in a real Express app with Medusa's error handler, in memory (no redisUrl), reached from distinct
 * loopback addresses (127.0.0.0/8 is all local on Linux), so that every address is a socket peer of its own.
 */
describe("a flood of wrong credentials locks nobody else out", () => {
  const VALID_TOKEN = "valid-guest-token-0123456789abcdefghijklmnopq"
  const USED_UP_TOKEN = "used-up-guest-token-0123456789abcdefghijklmn"
  const KEY_PREFIX = "0123456789ab"
  const VALID_KEY = `vgk_${KEY_PREFIX}_${"S".repeat(43)}`
  let server: http.Server
  let port = 0
  /** How many requests reached the credential check. */
  const checked = { guest: 0, key: 0 }

  beforeAll(async () => {
    process.env.VIRTUAL_GOODS_RATE_LIMITS = JSON.stringify({
      guest_link: { ip: [100_000, 60], ip_failures: [3, 900], failures: [20, 900] },
      wholesale: { ip: [100_000, 60], actor: [3, 60], ip_failures: [3, 900], failures: [20, 900] },
    })
    delete process.env.VIRTUAL_GOODS_TRUSTED_PROXIES
    await resetRateLimits()
    const quiet = { info: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined }
    const app = express()
    app.use(express.json())
    app.use((req, _res, next) => {
      Object.assign(req, {
        scope: { resolve: (key: string) => (key === ContainerRegistrationKeys.CONFIG_MODULE ? { projectConfig: {} } : quiet) },
      })
      next()
    })
    // A guest link route: the token is looked up; unknown, malformed and used-up ones throw the same NOT_FOUND.
    // `slow_ms` holds a valid answer back (a reveal that takes its time), so requests really overlap.
    app.post("/link", rateLimit("guest_link") as express.RequestHandler, async (req, res, next) => {
      checked.guest++
      if (req.body?.token !== VALID_TOKEN) return next(new MedusaError(MedusaError.Types.NOT_FOUND, "Reveal link is invalid or has expired"))
      if (req.body?.slow_ms) await new Promise((r) => setTimeout(r, Number(req.body.slow_ms)))
      res.json({ order_id: "order_1", uses_left: 5 })
    })
    // The wholesale API: the limiter, the key check, then the key's own allowance.
    const authenticate: express.RequestHandler = (req, _res, next) => {
      checked.key++
      if (req.get("authorization") !== `Bearer ${VALID_KEY}`) return next(new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid, expired or revoked API key"))
      Object.assign(req, { agent: { agent_id: "agent_1", key_id: "akey_1", scopes: [] } })
      next()
    }
    app.get(
      "/wholesale/me",
      rateLimit("wholesale") as express.RequestHandler,
      authenticate,
      rateLimitActor("wholesale") as express.RequestHandler,
      (_req, res) => {
        res.json({ agent: { id: "agent_1" } })
      }
    )
    app.use(errorHandler() as express.ErrorRequestHandler)
    server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s))
    })
    port = (server.address() as AddressInfo).port
  })

  afterAll(async () => {
    delete process.env.VIRTUAL_GOODS_RATE_LIMITS
    await resetRateLimits()
    await new Promise((resolve) => server.close(resolve))
  })

  type Answer = { status: number; body: { type?: string; message?: string; order_id?: string; agent?: { id: string } }; retryAfter?: string }
  function call(from: string, method: "GET" | "POST", path: string, options: { body?: unknown; authorization?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method,
          path,
          localAddress: from,
          agent: false,
          headers: {
            ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
            ...(options.authorization ? { authorization: options.authorization } : {}),
          },
        },
        (res) => {
          let raw = ""
          res.on("data", (chunk) => (raw += chunk))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(raw), retryAfter: res.headers["retry-after"] as string | undefined }))
        }
      )
      req.on("error", reject)
      req.end(payload)
    })
  }
  const tally = (answers: Answer[]) => answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {})
  const guess = () => `guess-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`

  it("honest traffic spends no failure budget: 30 valid tokens at once (over the budget of 20) leave it whole", async () => {
    const valid = await Promise.all(Array.from({ length: 30 }, (_, i) => call(`127.30.0.${i + 1}`, "POST", "/link", { body: { token: VALID_TOKEN, slow_ms: 300 } })))
    expect(tally(valid)).toEqual({ 200: 30 })
    // The budget is whole: wrong tokens from new addresses are still answered 404, twenty of them, then 429.
    const wrong: Answer[] = []
    for (let i = 0; i < 21; i++) wrong.push(await call(`127.30.1.${i + 1}`, "POST", "/link", { body: { token: guess() } }))
    expect(tally(wrong)).toEqual({ 404: 20, 429: 1 })
    await resetRateLimits()
    checked.guest = 0
  })

  it("guest links: after 200 wrong tokens from 20 addresses spend the budget, a valid token from a new address opens at once", async () => {
    const flood: Answer[] = []
    for (let round = 0; round < 10; round++) {
      flood.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => call(`127.10.0.${i + 1}`, "POST", "/link", { body: { token: guess() } })))))
    }
    // 3 failures per address reach the check (60): the budget answers 20 of them, the other 40 and every guess beyond
    // an address's 3 get 429. Nothing is found.
    expect(tally(flood)).toEqual({ 404: 20, 429: 180 })
    expect(checked.guest).toBe(60)

    // A new address: a malformed, an unknown and a used-up token are all checked, and all get the same 429.
    const wrong = [
      await call("127.10.1.1", "POST", "/link", { body: { token: "x" } }),
      await call("127.10.1.2", "POST", "/link", { body: { token: guess() } }),
      await call("127.10.1.3", "POST", "/link", { body: { token: USED_UP_TOKEN } }),
    ]
    expect(checked.guest).toBe(63)
    expect(wrong.map((a) => [a.status, a.body.type, Number(a.retryAfter) > 0])).toEqual(Array(3).fill([429, "too_many_requests", true]))
    expect(new Set(wrong.map((a) => a.body.message?.replace(/\d+/, "N")))).toEqual(new Set(["Too many requests: retry after N seconds"]))

    // The valid token, from a new address and from one that has just guessed wrong: its usual answer.
    expect(await call("127.10.1.4", "POST", "/link", { body: { token: VALID_TOKEN } })).toEqual({ status: 200, body: { order_id: "order_1", uses_left: 5 }, retryAfter: undefined })
    expect((await call("127.10.1.2", "POST", "/link", { body: { token: VALID_TOKEN } })).status).toBe(200)
    // The per-address limit still stops an address on its own, whatever it sends.
    expect((await call("127.10.0.1", "POST", "/link", { body: { token: VALID_TOKEN } })).status).toBe(429)
  })

  it("wholesale: wrong secrets sent with a key's prefix spend neither its allowance nor its welcome; a valid key from a new address works", async () => {
    const flood: Answer[] = []
    for (let round = 0; round < 5; round++) {
      flood.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            // Half the guesses aim at the real key's prefix, half at random ones.
            call(`127.20.0.${i + 1}`, "GET", "/wholesale/me", { authorization: `Bearer vgk_${i % 2 ? KEY_PREFIX : "ffffffffffff"}_${guess()}` })
          )
        ))
      )
    }
    expect(tally(flood)).toEqual({ 401: 20, 429: 80 })
    expect(checked.key).toBe(60)
    const malformed = await call("127.20.1.1", "GET", "/wholesale/me", { authorization: "Bearer not-a-key" })
    const wrongSecret = await call("127.20.1.2", "GET", "/wholesale/me", { authorization: `Bearer vgk_${KEY_PREFIX}_${"W".repeat(43)}` })
    expect([malformed.status, malformed.body.type, wrongSecret.status, wrongSecret.body.type]).toEqual([429, "too_many_requests", 429, "too_many_requests"])
    expect(checked.key).toBe(62)

    // The key's own allowance (3 a minute) is whole: 3 answers, then its own 429.
    const valid: Answer[] = []
    for (let i = 0; i < 4; i++) valid.push(await call("127.20.1.3", "GET", "/wholesale/me", { authorization: `Bearer ${VALID_KEY}` }))
    expect(valid.map((a) => a.status)).toEqual([200, 200, 200, 429])
    expect(valid[0].body).toEqual({ agent: { id: "agent_1" } })
  })
})
