import http from "http"
import path from "path"
import { randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import middlewares from "../../src/api/middlewares"
import {
  asAgent,
  completeCart,
  firstNotification,
  listRoutes,
  prepareCart,
  registerCustomer,
  settle,
  storeHeaders,
  createAgentWithKey,
  revealTokenFromNotification,
} from "../helpers"
import { useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(300_000)
useEnv({
  // Tight limits so that each one is reached within a test; the suite's requests all come from 127.0.0.1.
  VIRTUAL_GOODS_RATE_LIMITS: JSON.stringify({
    guest_link: { ip: [100000, 60], ip_failures: [10, 900], failures: [500, 900] },
    reveal: { ip: [100000, 60], actor: [3, 60] },
    order_lookup: { ip: [100000, 60], actor: [100000, 60], ip_failures: [100000, 900], failures: [15, 900] },
    wholesale: { ip: [100000, 60], actor: [5, 60], ip_failures: [30, 900] },
  }),
  VIRTUAL_GOODS_TRUSTED_PROXIES: undefined,
})

/**
 * Brute force and abuse of the public and token-based surfaces: per-IP failure limits that a forged X-Forwarded-For
 * cannot dodge, per-actor limits, the global failure budget, 429 with Retry-After — and a check that every such route
 * has a limiter. A spent global budget refuses wrong credentials, never valid ones: a flood from many addresses
 * (real socket peers: Linux routes all of 127.0.0.0/8 to the loopback) does not lock the others out.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 20 })
    const forged = () => `${1 + (randomBytes(1)[0] % 223)}.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`

    async function buy(email: string, quantity = 1) {
      const { token } = await registerCustomer(api, store, email)
      const cart = await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity }], { email, token })
      const { data } = await completeCart(api, store, cart.id, token)
      const notification: any = await firstNotification(getContainer(), data.order.id)
      return { token, order: data.order, link: revealTokenFromNotification(notification) }
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

    it("the global failure budget: after 15 failed order lookups by anyone, failures get 429 — and each customer still opens their own orders", async () => {
      const carol = await buy("carol.rl@example.com")
      const dave = await buy("dave.rl@example.com")
      const lookup = (who: any, orderId: string) => settle(api.get(`/store/virtual-goods/orders/${orderId}/codes`, { headers: storeHeaders(store, who.token) }))
      expect((await lookup(carol, carol.order.id)).status).toBe(200)
      const failures = []
      for (let i = 0; i < 16; i++) failures.push((await lookup(i % 2 ? carol : dave, `order_guess_${i}`)).status)
      expect(failures).toEqual([...Array(15).fill(404), 429])
      // Another customer's order: the same 429 as an id that does not exist.
      const other = await lookup(carol, dave.order.id)
      const missing = await lookup(carol, "order_missing")
      expect([other.status, other.data.type, missing.status, missing.data.type]).toEqual([429, "too_many_requests", 429, "too_many_requests"])
      // Their own orders still open: other people's failures refuse no valid credential.
      const own = await lookup(carol, carol.order.id)
      expect([own.status, own.data.card_codes.map((c: any) => c.status)]).toEqual([200, ["delivered"]])
      expect((await lookup(dave, dave.order.id)).status).toBe(200)
    })

    describe("a flood from many addresses locks nobody else out", () => {
      // Each address gets its own keep-alive connections, so that it is the socket's peer (no proxy is trusted here).
      const agents = new Map<string, http.Agent>()
      const from = (address: string) => {
        if (!agents.has(address)) agents.set(address, new http.Agent({ keepAlive: true, localAddress: address }))
        return { baseURL: String(api.defaults.baseURL).replace("localhost", "127.0.0.1"), httpAgent: agents.get(address) }
      }
      afterAll(() => agents.forEach((a) => a.destroy()))
      const tally = (rs: { status: number }[]) => rs.reduce((m: Record<number, number>, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {})
      /** `rounds` rounds of one request from each of `addresses` addresses at once. */
      async function flood(addresses: number, rounds: number, send: (address: string) => Promise<any>) {
        const results: { status: number; data: any }[] = []
        for (let round = 0; round < rounds; round++) {
          results.push(...(await Promise.all(Array.from({ length: addresses }, (_, i) => settle(send(`127.40.${Math.floor(i / 250)}.${1 + (i % 250)}`))))))
        }
        return results
      }
      const tooMany = { type: "too_many_requests", message: expect.stringMatching(/^Too many requests: retry after \d+ seconds$/) }

      it("10,000 wrong guest tokens from 100 addresses: a valid link from a new address opens at once", async () => {
        const { order, link } = await buy("flood.guest@example.com")
        const guestFrom = (address: string) => ({ ...from(address), headers: storeHeaders(store) })
        const results = await flood(100, 100, (address) =>
          api.post(`/store/virtual-goods/reveal-links/reveal`, { token: randomBytes(32).toString("base64url") }, guestFrom(address))
        )
        // 10 failures per address reach the lookup (1,000); the global budget (500, of which the brute-force test
        // above spent 10) answers 404 to as many as it has left and 429 to the rest, like every guess past an
        // address's 10th. None finds a code.
        const counts = tally(results)
        expect(Object.keys(counts)).toEqual(["404", "429"])
        expect(counts[404]).toBeGreaterThanOrEqual(490)
        expect(counts[404]).toBeLessThanOrEqual(500)
        expect(counts[404] + counts[429]).toBe(10_000)

        // New addresses, each with one wrong credential: malformed, unknown and a near miss get the same 429.
        const nearMiss = link.slice(0, -1) + (link.endsWith("A") ? "B" : "A")
        const wrong = [
          await settle(api.post(`/store/virtual-goods/reveal-links/lookup`, { token: "x" }, guestFrom("127.41.0.1"))),
          await settle(api.post(`/store/virtual-goods/reveal-links/lookup`, { token: randomBytes(32).toString("base64url") }, guestFrom("127.41.0.2"))),
          await settle(api.post(`/store/virtual-goods/reveal-links/lookup`, { token: nearMiss }, guestFrom("127.41.0.3"))),
        ]
        expect(wrong.map((r) => [r.status, r.data])).toEqual(Array(3).fill([429, tooMany]))

        // The valid link from a new address, and from one that has just been refused: opened, then revealed.
        const lookup = await settle(api.post(`/store/virtual-goods/reveal-links/lookup`, { token: link }, guestFrom("127.41.0.4")))
        expect([lookup.status, lookup.data]).toEqual([
          200,
          { order_id: order.id, uses_left: 5, expires_at: expect.any(String), card_codes: [expect.objectContaining({ status: "delivered", mask: expect.stringMatching(/^\*{4}[0-9A-F]{4}$/) })] },
        ])
        const reveal = await settle(api.post(`/store/virtual-goods/reveal-links/reveal`, { token: link }, guestFrom("127.41.0.3")))
        expect([reveal.status, reveal.data.order_id, reveal.data.uses_left]).toEqual([200, order.id, 4])
        expect(reveal.data.card_codes).toEqual([expect.objectContaining({ code: expect.stringMatching(/^YOUKU-[0-9A-F]{4}(-[0-9A-F]{4}){3}$/) })])
        expect(reveal.data.card_codes[0].code.endsWith(lookup.data.card_codes[0].mask.slice(4))).toBe(true)
      })

      it("10,000 wrong API keys from 100 addresses, half of them aimed at a reseller's key prefix: the reseller's valid key works at once from a new address", async () => {
        const reseller = await createAgentWithKey(api, admin, { name: "Steady" }, { scopes: ["catalog:read"] })
        const prefix = reseller.key.split("_")[1]
        const keyFrom = (address: string, key: string) => ({ ...from(address), headers: asAgent(key).headers })
        let n = 0
        const results = await flood(100, 100, (address) => {
          const guessed = `vgk_${n++ % 2 ? prefix : randomBytes(6).toString("hex")}_${randomBytes(32).toString("base64url")}`
          return api.get(`/wholesale/me`, keyFrom(address, guessed))
        })
        // 30 failures per address reach the key check (3,000); the global budget (2,000, of which the test of 30 wrong
        // keys above spent up to 30) answers 401 to what it has left, 429 to the rest.
        const counts = tally(results)
        expect(Object.keys(counts)).toEqual(["401", "429"])
        expect(counts[401]).toBeGreaterThanOrEqual(1970)
        expect(counts[401]).toBeLessThanOrEqual(2000)
        expect(counts[401] + counts[429]).toBe(10_000)

        const wrongSecret = reseller.key.slice(0, -1) + (reseller.key.endsWith("A") ? "B" : "A")
        const kinds: Record<string, string> = { malformed: "not-a-key", unknown: `vgk_${"0".repeat(12)}_${"A".repeat(43)}`, wrong: wrongSecret }
        // Malformed, unknown and wrong keys from new addresses (15 from each, half the per-address limit of 30): the same
        // 429, and no timing difference worth measuring — each is checked like any other key.
        const times: Record<string, number[]> = { malformed: [], unknown: [], wrong: [] }
        const bodies = new Set<string>()
        for (let round = 0; round < 60; round++) {
          for (const [kind, key] of Object.entries(kinds)) {
            const t0 = process.hrtime.bigint()
            const r = await settle(api.get(`/wholesale/me`, keyFrom(`127.42.0.${1 + Math.floor(round / 5)}`, key)))
            times[kind].push(Number(process.hrtime.bigint() - t0) / 1e6)
            bodies.add(`${r.status} ${r.data.type} ${String(r.data.message).replace(/\d+/, "N")}`)
          }
        }
        expect([...bodies]).toEqual(["429 too_many_requests Too many requests: retry after N seconds"])
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
        const medians = Object.values(times).map(median)
        expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(0.75)

        // The valid key, from a new address and from one that has just sent wrong keys: its answer, at once. The wrong
        // secrets sent with its prefix did not spend its own allowance (5 a minute here).
        const me = await settle(api.get(`/wholesale/me`, keyFrom("127.42.1.1", reseller.key)))
        expect([me.status, me.data]).toEqual([200, { agent: expect.objectContaining({ id: reseller.id, name: "Steady", status: "active" }), scopes: ["catalog:read"] }])
        const again = await settle(api.get(`/wholesale/me`, keyFrom("127.42.0.1", reseller.key)))
        expect([again.status, again.data.agent?.id]).toEqual([200, reseller.id])
      })
    })
  },
})
