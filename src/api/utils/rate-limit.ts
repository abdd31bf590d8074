import type { IncomingMessage } from "http"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { ConfigModule } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Redis } from "ioredis"
import proxyaddr from "proxy-addr"
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible"

/**
 * Rate limits of the plugin's public and token-based surfaces (rate-limiter-flexible; Redis-backed when the app has
 * `redisUrl`, so every instance shares the counts; in memory otherwise). Each surface limits requests per client IP
 * and per actor, counts failures (401, 403, 404: wrong tokens, unknown codes, refused keys) per IP, and keeps a global
 * failure budget per surface that stops distributed guessing from many addresses. Over a limit: 429 with Retry-After.
 *
 * Under attack nobody else is locked out: a spent global budget does not refuse requests up front, it turns their
 * failure answers into 429 (see `rateLimit`), so a valid guest token, API key or customer still gets its answer while
 * every wrong one, malformed, unknown or wrong, gets the same 429 after the same work. The per-IP limits still stop
 * each address on its own; an actor's allowance is only spent by requests whose credential was valid.
 */
export type RateLimitSurface = "guest_link" | "guest_order_lookup" | "order_status" | "reveal" | "order_lookup" | "wholesale" | "code_lookup" | "stock" | "payment_hold" | "vouchers"

/** [points, seconds]: at most `points` in `seconds`. */
type Window = [number, number]
export type SurfaceLimits = { ip: Window; actor?: Window; ip_failures: Window; failures: Window }

const LIMIT_NAMES: readonly string[] = ["ip", "actor", "ip_failures", "failures"] satisfies (keyof SurfaceLimits)[]
const isLimitName = (name: string): name is keyof SurfaceLimits => LIMIT_NAMES.includes(name)
const isWindow = (value: unknown): value is Window =>
  Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n) && n > 0)
/** The entries of a parsed JSON value, as `Object.entries` gives them (none for null, characters of a string). */
const entriesOf = (value: unknown): [string, unknown][] => Object.entries(value ?? {})

export const DEFAULT_RATE_LIMITS: Record<RateLimitSurface, SurfaceLimits> = {
  // Guest reveal links: the token is the only credential.
  guest_link: { ip: [30, 60], ip_failures: [10, 900], failures: [500, 900] },
  // Guests asking for a fresh link by email + order number (each match mails the order's address; always 202).
  guest_order_lookup: { ip: [10, 600], ip_failures: [20, 900], failures: [2000, 900] },
  // A confirmation page following its order (polled every few seconds; an unknown id is a 404).
  order_status: { ip: [300, 60], ip_failures: [30, 900], failures: [2000, 900] },
  // A logged-in customer revealing a code of one of their orders.
  reveal: { ip: [60, 60], actor: [30, 60], ip_failures: [20, 900], failures: [1000, 900] },
  // A customer's orders and their masked codes.
  order_lookup: { ip: [120, 60], actor: [60, 60], ip_failures: [50, 900], failures: [2000, 900] },
  // The agents' wholesale API (actor: the key's prefix).
  wholesale: { ip: [600, 60], actor: [300, 60], ip_failures: [30, 900], failures: [2000, 900] },
  // Admin code search and reveal (actor: the admin user).
  code_lookup: { ip: [120, 60], actor: [60, 60], ip_failures: [60, 900], failures: [1000, 900] },
  // Storefronts reading the stock of virtual variants (public, nothing to guess: a bad request is a 400).
  stock: { ip: [600, 60], ip_failures: [300, 900], failures: [100000, 900] },
  // Holding a cart's codes before an asynchronous payment (a shopper pays once or retries a few times).
  payment_hold: { ip: [20, 60], ip_failures: [30, 900], failures: [5000, 900] },
  // Vouchers validated and redeemed (核销) at counters (actor: the admin user) and by partners (actor: the agent key):
  // an unknown or wrong code is a 404, so guessing spends the failure budgets; a valid voucher is still answered.
  vouchers: { ip: [120, 60], actor: [120, 60], ip_failures: [30, 900], failures: [1000, 900] },
}

/** Answers that count as failures: a wrong token, key or id gets one of these (a refused order, 400, does not). */
const FAILURE_STATUSES = new Set([401, 403, 404])

/** Whether an answer counts as a failure (a wrong token, key or id). */
export const isFailure = (status: number): boolean => FAILURE_STATUSES.has(status)

/** Retry-After of a spent limit, in whole seconds (at least 1) from rate-limiter-flexible's `msBeforeNext`. */
export const retryAfterSeconds = (msBeforeNext: number): number =>
  Math.max(1, Math.ceil((Number.isFinite(msBeforeNext) && msBeforeNext > 0 ? msBeforeNext : 1000) / 1000))

/** The body of every 429 of the limiters, whichever limit was spent. */
export const tooManyRequestsBody = (seconds: number) => ({
  type: "too_many_requests" as const,
  message: `Too many requests: retry after ${seconds} seconds`,
})

/**
 * The limits in force: the defaults, with `VIRTUAL_GOODS_RATE_LIMITS` (JSON, e.g. `{"guest_link":{"ip":[10,60]}}`)
 * merged over them. Malformed settings are refused at startup with the field named.
 */
export function rateLimitsFromEnv(raw = process.env.VIRTUAL_GOODS_RATE_LIMITS): Record<RateLimitSurface, SurfaceLimits> {
  const limits = JSON.parse(JSON.stringify(DEFAULT_RATE_LIMITS)) as Record<RateLimitSurface, SurfaceLimits>
  if (!raw?.trim()) return limits
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new Error("VIRTUAL_GOODS_RATE_LIMITS must be JSON, e.g. {\"guest_link\":{\"ip\":[10,60]}}")
  }
  for (const [surface, windows] of entriesOf(parsed)) {
    if (!(surface in limits)) throw new Error(`VIRTUAL_GOODS_RATE_LIMITS: unknown surface ${surface} (one of ${Object.keys(limits).join(", ")})`)
    for (const [name, value] of entriesOf(windows)) {
      if (!isLimitName(name)) throw new Error(`VIRTUAL_GOODS_RATE_LIMITS.${surface}: unknown limit ${name}`)
      if (!isWindow(value)) {
        throw new Error(`VIRTUAL_GOODS_RATE_LIMITS.${surface}.${name} must be [points, seconds] (positive integers)`)
      }
      limits[surface as RateLimitSurface][name] = value
    }
  }
  return limits
}

/**
 * Which proxies' `X-Forwarded-For` to believe: `VIRTUAL_GOODS_TRUSTED_PROXIES` (comma-separated addresses, CIDRs or
 * proxy-addr's names `loopback`, `linklocal`, `uniquelocal`). Empty: none — the client is the socket's peer, and a
 * forwarded header from anyone is ignored.
 */
export function trustedProxies(raw = process.env.VIRTUAL_GOODS_TRUSTED_PROXIES): (addr: string, i: number) => boolean {
  if (compiledTrust?.raw === (raw ?? "")) return compiledTrust.fn
  const list = (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean)
  compiledTrust = { raw: raw ?? "", fn: list.length ? proxyaddr.compile(list) : () => false }
  return compiledTrust.fn
}
/** The last setting compiled: every request asks, the setting rarely changes. */
let compiledTrust: { raw: string; fn: (addr: string, i: number) => boolean } | null = null

/** The real client IP: the socket's peer, or the nearest untrusted address of X-Forwarded-For behind trusted proxies. */
export function clientIp(req: IncomingMessage, trust = trustedProxies()): string {
  if (!req.socket?.remoteAddress) return "unknown"
  // An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d: one address, one spelling.
  return proxyaddr(req, trust).replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1")
}

type Limiters = { ip: RateLimiterAbstract; actor?: RateLimiterAbstract; ipFailures: RateLimiterAbstract; failures: RateLimiterAbstract }

let store: {
  redis: Redis | null
  /** Resolves once Redis is connected (or at once without Redis); until then the in-memory insurance would count. */
  ready: Promise<void>
  limits: Record<RateLimitSurface, SurfaceLimits>
  trust: ReturnType<typeof trustedProxies>
  bySurface: Map<string, Limiters>
} | null = null

function limitersFor(req: MedusaRequest, surface: RateLimitSurface): Limiters {
  if (!store) {
    const config = req.scope.resolve<ConfigModule | undefined>(ContainerRegistrationKeys.CONFIG_MODULE)
    const redisUrl = config?.projectConfig?.redisUrl
    let redis: Redis | null = null
    let ready = Promise.resolve()
    if (redisUrl) {
      // Loaded only when the app has Redis.
      const RedisClient: typeof Redis = require("ioredis")
      const client = new RedisClient(redisUrl, { enableOfflineQueue: false, lazyConnect: false, maxRetriesPerRequest: 1 })
      client.on("error", () => undefined) // the in-memory insurance limiter answers while Redis is away
      // The first requests wait (at most 2 s) for the connection, so that their counts are shared from the start.
      ready = Promise.race([new Promise<void>((r) => client.once("ready", () => r())), new Promise<void>((r) => setTimeout(r, 2000).unref())])
      redis = client
    }
    store = { redis, ready, limits: rateLimitsFromEnv(), trust: trustedProxies(), bySurface: new Map() }
  }
  let limiters = store.bySurface.get(surface)
  if (!limiters) {
    const make = (name: string, [points, duration]: Window): RateLimiterAbstract => {
      const keyPrefix = `vg-rl:${surface}:${name}`
      return store!.redis
        ? new RateLimiterRedis({ storeClient: store!.redis, keyPrefix, points, duration, insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }) })
        : new RateLimiterMemory({ keyPrefix, points, duration })
    }
    const l = store.limits[surface]
    limiters = {
      ip: make("ip", l.ip),
      actor: l.actor ? make("actor", l.actor) : undefined,
      ipFailures: make("ip-failures", l.ip_failures),
      failures: make("failures", l.failures),
    }
    store.bySurface.set(surface, limiters)
  }
  return limiters
}

/** Forgets the limiters (and closes the Redis connection); tests use it between runs with other settings. */
export async function resetRateLimits() {
  const redis = store?.redis
  store = null
  await redis?.quit?.().catch(() => undefined)
}

function tooMany(res: MedusaResponse, rejection: RateLimiterRes) {
  const seconds = retryAfterSeconds(rejection.msBeforeNext)
  res.setHeader("Retry-After", String(seconds))
  res.status(429).json(tooManyRequestsBody(seconds))
}

type CountedRequest = MedusaRequest & {
  auth_context?: { actor_id?: string; actor_type?: string }
  /** The wholesale API's principal, set by `authenticateAgentKey` once the key has been checked. */
  agent?: { key_id: string }
}

/**
 * What a request is counted against as its actor, per surface: an authenticated identity only (null: none, e.g. a
 * guest link, or a wholesale request before its key is checked). A wholesale key counts once it has been checked, so
 * wrong secrets sent with a known key prefix cannot spend that key's allowance.
 */
function actorOf(req: CountedRequest, surface: RateLimitSurface): string | null {
  if (surface === "wholesale" || (surface === "vouchers" && req.agent)) return req.agent?.key_id ? `key:${req.agent.key_id}` : null
  const actor = req.auth_context?.actor_id
  return actor ? `${req.auth_context?.actor_type ?? "actor"}:${actor}` : null
}

/**
 * While a surface's global failure budget is spent: lets the request be handled and replaces a failure answer (401,
 * 403, 404, whether a handler wrote it or Medusa's error handler did) with the 429 of a spent limit. A valid
 * credential gets its usual answer; every invalid one — malformed, unknown or wrong — took the same path as always
 * (the lookup by hash that would have answered 404) and gets the same 429, so neither the answer nor its timing says
 * more than the 404 would have. `onRefused` is told when an answer was replaced.
 */
function refuseFailures(res: MedusaResponse, spent: RateLimiterRes, onRefused: () => void) {
  const send = res.send.bind(res)
  // Every answer of Express goes through send(): json() serialises and calls it again, hence only the first call decides.
  res.send = function sendUnlessFailure(body?: unknown) {
    res.send = send
    if (!isFailure(res.statusCode)) return send(body)
    onRefused()
    const seconds = retryAfterSeconds(spent.msBeforeNext)
    res.status(429)
    res.setHeader("Retry-After", String(seconds))
    res.setHeader("Content-Type", "application/json; charset=utf-8")
    return send(JSON.stringify(tooManyRequestsBody(seconds)))
  } as MedusaResponse["send"]
}

/**
 * The middleware of one surface. A request first takes a point of its IP's failure allowance and of the surface's
 * global failure budget — given back when it is not answered with 401, 403 or 404 — so that even concurrent guesses
 * can never exceed them; then a point of its IP's request allowance and, when its actor is already authenticated, of
 * the actor's. The IP's or the actor's allowance spent: 429 with Retry-After, and the request is not handled.
 *
 * The global budget spent (many addresses guessing): the request is handled all the same and only a failure answer
 * becomes 429 (`refuseFailures`). Refusing everything up front would let anyone switch the surface off for everyone:
 * a valid link, key or customer is never refused for other people's failures, while guesses still learn nothing and
 * cost each address its own failure allowance.
 */
export function rateLimit(surface: RateLimitSurface) {
  return async function rateLimitMiddleware(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
    let limiters: Limiters
    try {
      limiters = limitersFor(req, surface)
    } catch (e) {
      return next(e)
    }
    await store!.ready
    const ip = clientIp(req, store!.trust)
    const held: [RateLimiterAbstract, string][] = []
    const giveBack = () => held.forEach(([limiter, key]) => limiter.reward(key).catch(() => undefined))
    let budgetSpent: RateLimiterRes | null = null
    try {
      await limiters.ipFailures.consume(ip)
      held.push([limiters.ipFailures, ip])
      try {
        await limiters.failures.consume(surface)
        held.push([limiters.failures, surface])
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection
        budgetSpent = rejection
        // A refused point is counted all the same: it is given back too when the answer is no failure, so honest
        // requests overlapping a nearly spent budget never spend it.
        held.push([limiters.failures, surface])
      }
      await limiters.ip.consume(ip)
      const actor = actorOf(req, surface)
      if (actor && limiters.actor) await limiters.actor.consume(actor)
    } catch (rejection) {
      giveBack()
      if (rejection instanceof RateLimiterRes) return tooMany(res, rejection)
      return next(rejection)
    }
    let refused = false
    if (budgetSpent) refuseFailures(res, budgetSpent, () => (refused = true))
    res.on("finish", () => {
      if (!refused && !isFailure(res.statusCode)) giveBack()
    })
    next()
  }
}

/**
 * The per-actor limit of a surface whose actor is known only once its credential has been checked: the wholesale API,
 * after `authenticateAgentKey`. Over it: 429 with Retry-After.
 */
export function rateLimitActor(surface: RateLimitSurface) {
  return async function rateLimitActorMiddleware(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
    let limiters: Limiters
    try {
      limiters = limitersFor(req, surface)
    } catch (e) {
      return next(e)
    }
    await store!.ready
    const actor = actorOf(req, surface)
    if (actor && limiters.actor) {
      try {
        await limiters.actor.consume(actor)
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return tooMany(res, rejection)
        return next(rejection)
      }
    }
    next()
  }
}
