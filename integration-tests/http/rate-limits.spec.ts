import path from "path"
import { randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import middlewares from "../../src/api/middlewares"
import {
  asAgent,
  completeCart,
  createAdminHeaders,
  createVirtualStore,
  explainHttpErrors,
  listRoutes,
  prepareCart,
  registerCustomer,
  settle,
  storeHeaders,
  waitFor,
  createAgentWithKey,
} from "../helpers"
import type { VirtualStore } from "../../src/scripts/setup-virtual-store"

jest.setTimeout(300_000)
// Tight limits so that each one is reached within a test; the suite's requests all come from 127.0.0.1.
process.env.VIRTUAL_GOODS_RATE_LIMITS = JSON.stringify({
  guest_link: { ip: [100000, 60], ip_failures: [10, 900], failures: [500, 900] },
  reveal: { ip: [100000, 60], actor: [3, 60] },
  order_lookup: { ip: [100000, 60], actor: [100000, 60], ip_failures: [100000, 900], failures: [15, 900] },
  wholesale: { ip: [100000, 60], actor: [5, 60], ip_failures: [30, 900] },
})
delete process.env.VIRTUAL_GOODS_TRUSTED_PROXIES

/**
 * Brute force and abuse of the public and token-based surfaces: per-IP failure limits that a forged X-Forwarded-For
 * cannot dodge, per-actor limits, the global failure budget, 429 with Retry-After — and a check that every such route
 * has a limiter.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: VirtualStore
    let admin: { headers: Record<string, string> }
    beforeAll(async () => {
      explainHttpErrors(api)
      store = await createVirtualStore(getContainer(), 20)
    })
    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })
    const forged = () => `${1 + (randomBytes(1)[0] % 223)}.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`

    async function buy(email: string, quantity = 1) {
      const { token } = await registerCustomer(api, store, email)
      const cart = await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity }], { email, token })
      const { data } = await completeCart(api, store, cart.id, token)
      const notification: any = await waitFor(async () => {
        const [n] = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: data.order.id })
        return n
      })
      return { token, order: data.order, link: String(notification.data.reveal_url).split("/").pop() as string }
    }

    it("every public or token-based route has a rate limiter", () => {
      const limited = (middlewares as any).routes
        .filter((r: any) => (r.middlewares ?? []).some((m: any) => m.name === "rateLimitMiddleware"))
        .map((r: any) => new RegExp(`^${String(r.matcher).replace(/\*/g, ".*").replace(/:\w+/g, "[^/]+")}$`))
      const guarded = listRoutes(path.join(__dirname, "../../src/api")).filter(
        (r) =>
          r.path.startsWith("/store/") ||
          r.path.startsWith("/wholesale") ||
          r.path === "/admin/virtual-goods/codes/search" ||
          r.path.endsWith("/reveal")
      )
      expect(guarded.length).toBeGreaterThanOrEqual(8)
      expect(guarded.filter((r) => !limited.some((re: RegExp) => re.test(r.path)))).toEqual([])
    })

    it("10,000 guesses at guest reveal tokens: 10 are answered 404, the rest 429 whatever X-Forwarded-For says; none finds a code", async () => {
      const { link } = await buy("guest.link@example.com")
      const headers = (ip: string) => ({ headers: { ...storeHeaders(store), "x-forwarded-for": ip } })
      // A malformed token and a well-formed unknown one get the same answer.
      const malformed = await settle(api.post(`/store/virtual-goods/reveal-links/lookup`, { token: "x" }, headers(forged())))
      const unknown = await settle(api.post(`/store/virtual-goods/reveal-links/lookup`, { token: randomBytes(32).toString("base64url") }, headers(forged())))
      expect([malformed.status, malformed.data]).toEqual([unknown.status, unknown.data])
      expect(unknown.data).toEqual({ type: "not_found", message: "Reveal link is invalid or has expired" })

      const statuses: Record<number, number> = {}
      let retryAfter = 0
      for (let batch = 0; batch < 100; batch++) {
        const results = await Promise.all(
          Array.from({ length: 100 }, () =>
            settle(api.post(`/store/virtual-goods/reveal-links/reveal`, { token: randomBytes(32).toString("base64url") }, headers(forged())))
          )
        )
        for (const r of results) {
          statuses[r.status] = (statuses[r.status] ?? 0) + 1
          if (r.status === 429) retryAfter = Number(r.headers["retry-after"])
        }
      }
      expect(statuses).toEqual({ 404: 8, 429: 10_000 - 8 }) // 2 of the 10 failures went to the lookups above
      expect(retryAfter).toBeGreaterThan(0)
      expect(retryAfter).toBeLessThanOrEqual(900)
      // The limit is per address: the real link is refused from here too until the window passes.
      const real = await settle(api.post(`/store/virtual-goods/reveal-links/lookup`, { token: link }, headers(forged())))
      expect([real.status, real.data.type]).toEqual([429, "too_many_requests"])
    })

    it("a customer revealing too fast is limited per customer, not the others", async () => {
      const alice = await buy("alice.rl@example.com", 2)
      const bob = await buy("bob.rl@example.com", 1)
      const codesOf = async (who: any) => (await api.get(`/store/virtual-goods/orders/${who.order.id}/codes`, { headers: storeHeaders(store, who.token) })).data.card_codes
      const reveal = (who: any, codeId: string) =>
        settle(api.post(`/store/virtual-goods/orders/${who.order.id}/codes/${codeId}/reveal`, {}, { headers: storeHeaders(store, who.token) }))
      const [a1, a2] = await codesOf(alice)
      const results = [await reveal(alice, a1.id), await reveal(alice, a2.id), await reveal(alice, a1.id), await reveal(alice, a2.id)]
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429])
      expect(results[3].data.message).toMatch(/^Too many requests: retry after \d+ seconds$/)
      const [b1] = await codesOf(bob)
      expect((await reveal(bob, b1.id)).status).toBe(200)
    })

    it("wholesale keys: limited per key; 30 wrong keys from one address stop that address", async () => {
      const make = async (name: string) => (await createAgentWithKey(api, admin, { name }, { scopes: ["catalog:read"] })).key
      const [a, b] = [await make("Fast"), await make("Calm")]
      const calls = []
      for (let i = 0; i < 6; i++) calls.push((await settle(api.get(`/wholesale/me`, asAgent(a)))).status)
      expect(calls).toEqual([200, 200, 200, 200, 200, 429])
      expect((await settle(api.get(`/wholesale/me`, asAgent(b)))).status).toBe(200)

      const wrong = await Promise.all(
        Array.from({ length: 40 }, () => settle(api.get(`/wholesale/me`, { headers: { ...asAgent(`vgk_${randomBytes(6).toString("hex")}_${randomBytes(32).toString("base64url")}`).headers, "x-forwarded-for": forged() } })))
      )
      const counts = wrong.reduce((m: Record<number, number>, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {})
      expect(counts[401]).toBeLessThanOrEqual(30)
      expect(counts[429]).toBeGreaterThanOrEqual(10)
      expect((await settle(api.get(`/wholesale/me`, asAgent(b)))).status).toBe(429)
    })

    it("the global failure budget: after 15 failed order lookups by anyone, every lookup waits", async () => {
      const carol = await buy("carol.rl@example.com")
      const dave = await buy("dave.rl@example.com")
      const lookup = (who: any, orderId: string) => settle(api.get(`/store/virtual-goods/orders/${orderId}/codes`, { headers: storeHeaders(store, who.token) }))
      expect((await lookup(carol, carol.order.id)).status).toBe(200)
      const failures = []
      for (let i = 0; i < 16; i++) failures.push((await lookup(i % 2 ? carol : dave, `order_guess_${i}`)).status)
      expect(failures).toEqual([...Array(15).fill(404), 429])
      expect((await lookup(carol, carol.order.id)).status).toBe(429)
      expect((await lookup(dave, dave.order.id)).status).toBe(429)
    })
  },
})
