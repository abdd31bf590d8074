import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { asAgent, completeCart, createAdminHeaders, createAgentWithKey, createTier, firstNotification, prepareCart, revealTokenFromNotification, settle, signedAsAgent, storeHeaders } from "../helpers"
import { useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(240_000)
// The vouchers surface's global failure budget is small here, so the last test can spend it; nothing else is limited.
useEnv({
  VIRTUAL_GOODS_RATE_LIMITS: JSON.stringify({ vouchers: { ip: [100000, 60], actor: [100000, 60], ip_failures: [100000, 900], failures: [8, 900] } }),
})

/**
 * Redemption (核销) of the store's own vouchers over HTTP: a pool made redeemable, its codes sold through the store and
 * revealed by the shopper, then validated, redeemed (partly, racing, replayed) and rolled back at a counter (admin) and
 * by a partner platform (an agent key with `vouchers:redeem`); unknown and unsold codes answer alike; a spent failure
 * budget refuses guesses but not a partner's real vouchers.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 6 })
    const youku = () => store.products.find((p) => p.handle === "youku-monthly")!
    const db = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const withKey = (key: string) => ({ headers: { ...admin.headers, "idempotency-key": key } })

    let shopperToken = "" // the guest link of the last purchase
    /** A signed POST of a partner to the redemption API. */
    const signedPost = (agent: { key: string; signing_secret: string }, path: string, body: unknown, options: { idempotencyKey?: string } = {}) => {
      const signed = signedAsAgent(agent, "POST", path, body, options)
      return api.post(path, signed.data, signed.config)
    }

    /** Codes bought through the store and revealed by the shopper through the link of their email. */
    async function buyVouchers(quantity: number, email: string): Promise<string[]> {
      const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity }], { email })
      const { data } = await completeCart(api, store, cart.id)
      shopperToken = revealTokenFromNotification(await firstNotification(getContainer(), data.order.id))
      const { data: revealed } = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token: shopperToken }, { headers: storeHeaders(store) })
      return revealed.card_codes.map((c: any) => c.code as string)
    }

    it("a counter validates (changing nothing), redeems a stored value in parts exactly once per key, races without overdrawing, and rolls back once", async () => {
      const program = `/admin/virtual-goods/pools/${youku().pool_id}/voucher-program`
      expect((await api.get(program, admin)).data).toEqual({ voucher_program: null })
      const bad = await settle(api.post(program, { kind: "stored_value", currency_code: "usd" }, admin))
      expect([bad.status, bad.data.message]).toEqual([400, "face_value: a stored-value voucher needs its face value"])
      const typo = await settle(api.post(program, { kind: "stored_value", face_value: "fifty", currency_code: "usd" }, admin))
      expect(typo.status).toBe(400)
      expect(typo.data.message).toContain("face_value must be a decimal amount")
      expect((await settle(api.post(`/admin/virtual-goods/pools/cpool_nope/voucher-program`, { kind: "single_use" }, admin))).status).toBe(404)
      const { data: set } = await api.post(program, { kind: "stored_value", face_value: "50", currency_code: "usd", rollback_window_seconds: 600 }, admin)
      expect(set.voucher_program).toEqual(expect.objectContaining({ pool_id: youku().pool_id, kind: "stored_value", face_value: "50", currency_code: "usd", status: "active" }))

      const [code] = await buyVouchers(1, "coffee@example.com")
      // Unknown and unsold codes get the same answer; neither says which.
      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/imports`, { codes: ["UNSOLD-VOUCHER-0001"] }, admin)
      for (const guess of ["NO-SUCH-VOUCHER", "UNSOLD-VOUCHER-0001"]) {
        const refused = await settle(api.post(`/admin/virtual-goods/vouchers/validate`, { code: guess }, admin))
        expect([refused.status, refused.data]).toEqual([404, { type: "not_found", message: "Voucher not found" }])
        const redeem = await settle(api.post(`/admin/virtual-goods/vouchers/redeem`, { code: guess, amount: "1" }, withKey(`guess-${guess}`)))
        expect([redeem.status, redeem.data]).toEqual([404, { type: "not_found", message: "Voucher not found" }])
      }

      const { data: valid } = await api.post(`/admin/virtual-goods/vouchers/validate`, { code: ` ${code} ` }, admin)
      expect(valid.voucher).toEqual(
        expect.objectContaining({ kind: "stored_value", status: "redeemable", remaining_value: "50", face_value: "50", currency_code: "usd", redeemed_count: 0, redemptions: [] })
      )
      expect(valid.voucher.mask).toBe(`****${code.slice(-4)}`)
      expect(JSON.stringify(valid)).not.toContain(code)
      expect((await db().raw(`select count(*)::int as n from voucher`)).rows[0].n).toBe(0)

      // Redemption needs its key and, for a stored value, an amount; both refusals change nothing.
      const noKey = await settle(api.post(`/admin/virtual-goods/vouchers/redeem`, { code, amount: "12.50" }, admin))
      expect([noKey.status, noKey.data.message]).toEqual([400, "The Idempotency-Key header is required: 1 to 255 printable ASCII characters, unique per redemption"])
      const noAmount = await settle(api.post(`/admin/virtual-goods/vouchers/redeem`, { code }, withKey("c-0")))
      expect([noAmount.status, noAmount.data.message]).toEqual([400, "amount: a stored-value voucher is redeemed by amount; give how much to take"])

      const first = await api.post(`/admin/virtual-goods/vouchers/redeem`, { code, amount: "12.50" }, withKey("c-1"))
      expect(first.data.redemption).toEqual(expect.objectContaining({ kind: "redeem", amount: "12.5", remaining_value_after: "37.5", channel: "counter", actor_type: "user" }))
      expect(first.data.voucher).toEqual(expect.objectContaining({ remaining_value: "37.5", redeemed_count: 1 }))
      const replay = await api.post(`/admin/virtual-goods/vouchers/redeem`, { code, amount: "12.50" }, withKey("c-1"))
      expect(replay.headers["idempotent-replayed"]).toBe("true")
      expect(replay.data.redemption.id).toBe(first.data.redemption.id)
      const misuse = await settle(api.post(`/admin/virtual-goods/vouchers/redeem`, { code, amount: "1" }, withKey("c-1")))
      expect([misuse.status, misuse.data.message]).toEqual([422, "Idempotency-Key was already used for another redemption request"])

      // Eight counters take 10 each at once from 37.50: exactly three succeed, nothing overdrawn.
      const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => settle(api.post(`/admin/virtual-goods/vouchers/redeem`, { code, amount: "10" }, withKey(`race-${i}`)))))
      expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 400, 400, 400, 400, 400])
      for (const r of racing.filter((r) => r.status === 400)) expect(r.data.message).toBe("amount: 10 is more than the voucher's balance of 7.5 USD")
      const { data: after } = await api.post(`/admin/virtual-goods/vouchers/validate`, { code }, admin)
      expect(after.voucher).toEqual(expect.objectContaining({ remaining_value: "7.5", redeemed_count: 4 }))
      expect(after.voucher.redemptions).toHaveLength(4)

      // A rollback needs a reason; it gives the amount back once.
      const short = await settle(api.post(`/admin/virtual-goods/voucher-redemptions/${first.data.redemption.id}/rollback`, { reason: "x" }, admin))
      expect(short.status).toBe(400)
      expect(short.data.message).toContain("'reason' too small, expected at least: '3'")
      const { data: back } = await api.post(`/admin/virtual-goods/voucher-redemptions/${first.data.redemption.id}/rollback`, { reason: "rang up the wrong drink" }, admin)
      expect(back.redemption).toEqual(expect.objectContaining({ kind: "rollback", reverses_id: first.data.redemption.id, amount: "12.5", remaining_value_after: "20", reason: "rang up the wrong drink" }))
      expect(back.voucher).toEqual(expect.objectContaining({ remaining_value: "20", redeemed_count: 3 }))
      const again = await settle(api.post(`/admin/virtual-goods/voucher-redemptions/${first.data.redemption.id}/rollback`, { reason: "again" }, admin))
      expect([again.status, again.data.message]).toEqual([400, `Redemption ${first.data.redemption.id} is already rolled back`])
      expect((await settle(api.post(`/admin/virtual-goods/voucher-redemptions/vred_nope/rollback`, { reason: "nothing" }, admin))).status).toBe(404)

      // The shopper sees where the voucher stands through the link of their email (masked, no code).
      const { data: lookup } = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token: shopperToken }, { headers: storeHeaders(store) })
      expect(lookup.card_codes).toEqual([
        expect.objectContaining({ status: "revealed", voucher: expect.objectContaining({ kind: "stored_value", status: "redeemable", remaining_value: "20", face_value: "50", currency_code: "usd", redeemed_count: 3, last_redeemed_at: expect.any(String) }) }),
      ])

      const { data: ledger } = await api.get(`/admin/virtual-goods/voucher-redemptions?pool_id=${youku().pool_id}`, admin)
      expect(ledger.count).toBe(5)
      expect(ledger.voucher_redemptions[0]).toEqual(expect.objectContaining({ kind: "rollback", pool_id: youku().pool_id }))
      const { rows: balance } = await db().raw(`select remaining_value = 20 as twenty, (raw_remaining_value->>'value')::numeric = 20 as raw_twenty from voucher`)
      expect(balance).toEqual([{ twenty: true, raw_twenty: true }])

      // The report of the day: one voucher sold, redeemed (rate 1), four redemptions at the counter, one rolled back,
      // 30 taken by the three that stand.
      const day = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }
      const { data: report } = await api.get(`/admin/virtual-goods/vouchers/report?from=${day.from}&to=${day.to}`, admin)
      expect(report.report.pools).toEqual([{ pool_id: youku().pool_id, sold: 1, redeemed: 1, rate: "1.0000", avg_seconds_to_redemption: expect.any(Number) }])
      expect(report.report.batches).toEqual([expect.objectContaining({ pool_id: youku().pool_id, sold: 1, redeemed: 1 })])
      expect(report.report.agents).toEqual([])
      expect(report.report.channels).toEqual([{ channel: "counter", actor_id: null, redemptions: 4, rolled_back: 1, amount: "30" }])
      const backwards = await settle(api.get(`/admin/virtual-goods/vouchers/report?from=${day.to}&to=${day.from}`, admin))
      expect([backwards.status, backwards.data.message]).toEqual([400, "Invalid request: from must be before to"])
    })

    it("a partner platform redeems with its own key and scope, gives back only its own redemptions, and single-use vouchers go once", async () => {
      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/voucher-program`, { kind: "single_use", rollback_window_seconds: 600 }, admin)
      const partner = await createAgentWithKey(api, admin, { name: "Partner cafe" }, { scopes: ["vouchers:redeem"] })
      const reseller = await createAgentWithKey(api, admin, { name: "Reseller" })
      const [mine, theirs] = await buyVouchers(2, "partner@example.com")

      const partnerPost = (path: string, body: unknown, options: { idempotencyKey?: string } = {}) => signedPost(partner, path, body, options)
      // Signed requests only: the bearer key alone, a stale timestamp, a body or path other than the one signed — 401s.
      const bare = await settle(api.post(`/wholesale/vouchers/validate`, { code: mine }, asAgent(partner.key)))
      expect([bare.status, bare.data.message]).toEqual([401, "This route takes signed requests: send X-Signature-Timestamp and X-Signature"])
      const stale = signedAsAgent(partner, "POST", "/wholesale/vouchers/validate", { code: mine }, { timestamp: Math.floor(Date.now() / 1000) - 900 })
      const staleRes = await settle(api.post(`/wholesale/vouchers/validate`, stale.data, stale.config))
      expect([staleRes.status, staleRes.data.message]).toEqual([401, "X-Signature-Timestamp must be the current unix time in seconds (within 300 s)"])
      const altered = signedAsAgent(partner, "POST", "/wholesale/vouchers/validate", { code: mine }, { sign: { body: JSON.stringify({ code: theirs }) } })
      const alteredRes = await settle(api.post(`/wholesale/vouchers/validate`, altered.data, altered.config))
      expect([alteredRes.status, alteredRes.data.message]).toEqual([401, "Invalid request signature"])
      const elsewhere = signedAsAgent(partner, "POST", "/wholesale/vouchers/redeem", { code: mine }, { sign: { path: "/wholesale/vouchers/validate" }, idempotencyKey: "p-0" })
      expect((await settle(api.post(`/wholesale/vouchers/redeem`, elsewhere.data, elsewhere.config))).status).toBe(401)

      const noScope = await settle(signedPost(reseller, `/wholesale/vouchers/validate`, { code: mine }))
      expect([noScope.status, noScope.data.message]).toEqual([403, "This API key lacks the scope vouchers:redeem"])
      expect((await settle(api.post(`/wholesale/vouchers/validate`, { code: mine }, { headers: { authorization: "Bearer vgk_nope" } }))).status).toBe(401)

      const { data: valid } = await partnerPost(`/wholesale/vouchers/validate`, { code: mine })
      expect(valid.voucher).toEqual(expect.objectContaining({ kind: "single_use", status: "redeemable", remaining_uses: 1 }))
      expect(valid.voucher.redemptions).toBeUndefined()
      const unknown = await settle(partnerPost(`/wholesale/vouchers/validate`, { code: "NO-SUCH-VOUCHER" }))
      expect([unknown.status, unknown.data]).toEqual([404, { type: "not_found", message: "Voucher not found" }])

      const redeemed = await partnerPost(`/wholesale/vouchers/redeem`, { code: mine }, { idempotencyKey: "p-1" })
      expect(redeemed.data.redemption).toEqual(expect.objectContaining({ kind: "redeem", uses: 1, remaining_uses_after: 0, channel: "partner", actor_type: "agent", actor_id: partner.id }))
      const twice = await settle(partnerPost(`/wholesale/vouchers/redeem`, { code: mine }, { idempotencyKey: "p-2" }))
      expect([twice.status, twice.data.message]).toEqual([400, "Voucher is used up"])
      const amount = await settle(partnerPost(`/wholesale/vouchers/redeem`, { code: theirs, amount: "5" }, { idempotencyKey: "p-3" }))
      expect([amount.status, amount.data.message]).toEqual([400, "amount: only a stored-value voucher is redeemed by amount (this one is single_use)"])

      // A counter's redemption is not the partner's to give back (the same 404 as for none); its own is.
      const counter = await api.post(`/admin/virtual-goods/vouchers/redeem`, { code: theirs }, withKey("counter-1"))
      const foreign = await settle(partnerPost(`/wholesale/vouchers/redemptions/${counter.data.redemption.id}/rollback`, { reason: "not mine" }))
      expect([foreign.status, foreign.data.message]).toEqual([404, `Redemption with id: ${counter.data.redemption.id} was not found`])
      const { data: back } = await partnerPost(`/wholesale/vouchers/redemptions/${redeemed.data.redemption.id}/rollback`, { reason: "customer changed their mind" })
      expect(back.voucher).toEqual(expect.objectContaining({ status: "redeemable", remaining_uses: 1 }))
      const { data: ledger } = await api.get(`/admin/virtual-goods/voucher-redemptions?channel=partner`, admin)
      expect(ledger.voucher_redemptions.map((r: any) => [r.kind, r.actor_id])).toEqual([
        ["rollback", partner.id],
        ["redeem", partner.id],
      ])

      // A reseller buys two vouchers through the wholesale API; one is redeemed by the partner: the report's agent line.
      const shop = await createAgentWithKey(api, admin, { name: "Voucher shop", customer_group_id: await createTier(getContainer(), "Voucher resellers", youku().variant_id, 9) }, { topUp: "50" })
      const { data: bought } = await api.post(`/wholesale/orders`, { items: [{ variant_id: youku().variant_id, quantity: 2 }] }, asAgent(shop.key, "vouchers-1"))
      await partnerPost(`/wholesale/vouchers/redeem`, { code: bought.order.items[0].codes[0].code }, { idempotencyKey: "p-shop-1" })
      const day = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }
      const { data: report } = await api.get(`/admin/virtual-goods/vouchers/report?from=${day.from}&to=${day.to}`, admin)
      expect(report.report.agents).toEqual([{ agent_id: shop.id, sold: 2, redeemed: 1, rate: "0.5000", avg_seconds_to_redemption: expect.any(Number) }])
      expect(report.report.pools).toEqual([expect.objectContaining({ pool_id: youku().pool_id, sold: 4, redeemed: 2, rate: "0.5000" })])
      expect(report.report.channels).toEqual(
        expect.arrayContaining([
          { channel: "partner", actor_id: partner.id, redemptions: 2, rolled_back: 1, amount: "0" },
          { channel: "counter", actor_id: null, redemptions: 1, rolled_back: 0, amount: "0" },
        ])
      )
    })

    it("a counter account validates and redeems, rolls back only its own, and may call nothing else; made a full admin again, it may", async () => {
      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/voucher-program`, { kind: "multi_use", uses: 5 }, admin)
      const clerk = await createAdminHeaders(getContainer(), "clerk@test.dev")
      const asClerk = (key?: string) => ({ headers: { ...clerk.headers, ...(key ? { "idempotency-key": key } : {}) } })
      const [code] = await buyVouchers(1, "clerk@example.com")

      const self = await settle(api.post(`/admin/virtual-goods/counter-accounts`, { user_id: admin.user.id, counter: true }, admin))
      expect([self.status, self.data.message]).toEqual([400, "user_id: an admin cannot change their own account's role"])
      expect((await settle(api.post(`/admin/virtual-goods/counter-accounts`, { user_id: "user_nope", counter: true }, admin))).status).toBe(404)
      const { data: made } = await api.post(`/admin/virtual-goods/counter-accounts`, { user_id: clerk.user.id, counter: true }, admin)
      expect(made.user).toEqual(expect.objectContaining({ id: clerk.user.id, email: "clerk@test.dev", counter: true }))
      const { data: listed } = await api.get(`/admin/virtual-goods/counter-accounts`, admin)
      expect(listed.users.filter((u: any) => u.counter).map((u: any) => u.id)).toEqual([clerk.user.id])

      // Everything but the vouchers is closed to it: Medusa's routes and the plugin's alike.
      for (const [method, route, body] of [
        ["get", "/admin/orders", undefined],
        ["get", "/admin/virtual-goods/pools", undefined],
        ["get", `/admin/virtual-goods/voucher-redemptions`, undefined],
        ["post", `/admin/virtual-goods/pools/${youku().pool_id}/voucher-program`, { kind: "single_use" }],
        ["post", `/admin/virtual-goods/counter-accounts`, { user_id: clerk.user.id, counter: false }],
        ["post", `/admin/users/${clerk.user.id}`, { metadata: {} }],
      ] as const) {
        const refused = await settle(method === "get" ? api.get(route, asClerk()) : api.post(route, body, asClerk()))
        expect([route, refused.status, refused.data.message]).toEqual([route, 403, "This is a counter account: it may only validate and redeem vouchers"])
      }
      expect((await api.get(`/admin/users/me`, asClerk())).data.user.id).toBe(clerk.user.id)

      const { data: valid } = await api.post(`/admin/virtual-goods/vouchers/validate`, { code }, asClerk())
      expect(valid.voucher).toEqual(expect.objectContaining({ remaining_uses: 5 }))
      const mine = await api.post(`/admin/virtual-goods/vouchers/redeem`, { code }, asClerk("clerk-1"))
      expect(mine.data.redemption).toEqual(expect.objectContaining({ channel: "counter", actor_id: clerk.user.id, remaining_uses_after: 4 }))
      const theirs = await api.post(`/admin/virtual-goods/vouchers/redeem`, { code }, withKey("admin-1"))
      const notMine = await settle(api.post(`/admin/virtual-goods/voucher-redemptions/${theirs.data.redemption.id}/rollback`, { reason: "not mine" }, asClerk()))
      expect([notMine.status, notMine.data.message]).toEqual([404, `Redemption with id: ${theirs.data.redemption.id} was not found`])
      const back = await api.post(`/admin/virtual-goods/voucher-redemptions/${mine.data.redemption.id}/rollback`, { reason: "wrong customer" }, asClerk())
      expect(back.data.voucher.remaining_uses).toBe(4)
      // The admin may give back anyone's.
      expect((await api.post(`/admin/virtual-goods/voucher-redemptions/${theirs.data.redemption.id}/rollback`, { reason: "test" }, admin)).data.voucher.remaining_uses).toBe(5)

      await api.post(`/admin/virtual-goods/counter-accounts`, { user_id: clerk.user.id, counter: false }, admin)
      expect((await api.get(`/admin/virtual-goods/pools`, asClerk())).status).toBe(200)
    })

    it("guessing spends the failure budget: wrong codes then get 429, a partner's real voucher is still answered", async () => {
      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/voucher-program`, { kind: "multi_use", uses: 5 }, admin)
      const partner = await createAgentWithKey(api, admin, { name: "Partner gym" }, { scopes: ["vouchers:redeem"] })
      const [real] = await buyVouchers(1, "gym@example.com")
      const partnerPost = (path: string, body: unknown, options: { idempotencyKey?: string } = {}) => signedPost(partner, path, body, options)
      const statuses: number[] = []
      for (let i = 0; i < 14 && statuses[statuses.length - 1] !== 429; i++) {
        statuses.push((await settle(partnerPost(`/wholesale/vouchers/validate`, { code: `GUESS-${i}` }))).status)
      }
      expect(statuses[statuses.length - 1]).toBe(429)
      expect(new Set(statuses.slice(0, -1))).toEqual(new Set([404]))
      const { data } = await partnerPost(`/wholesale/vouchers/validate`, { code: real })
      expect(data.voucher).toEqual(expect.objectContaining({ status: "redeemable", remaining_uses: 5 }))
      const redeemed = await partnerPost(`/wholesale/vouchers/redeem`, { code: real }, { idempotencyKey: "gym-1" })
      expect(redeemed.data.voucher.remaining_uses).toBe(4)
      expect((await settle(partnerPost(`/wholesale/vouchers/validate`, { code: "GUESS-AGAIN" }))).status).toBe(429)
    })
  },
})
