import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { issueCampaignCodeWorkflow } from "../../src/workflows/campaigns"
import { completeCart, poolCounts, prepareCart, registerCustomer, revealTokenFromNotification, settle, storeHeaders, waitFor } from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(300_000)

/**
 * Campaigns that give codes (营销): "拉新送7天会员" — a code to every customer who registers, or who places an order,
 * once per customer, within a budget that holds under concurrent registrations, tracked as issued, revealed and
 * redeemed.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    // "Youku VIP monthly" (12 codes) and "Game points 100" (none).
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 12 })
    const youku = () => store.products[0]
    const points = () => store.products[1]

    const create = (body: Record<string, unknown>) => settle(api.post(`/admin/virtual-goods/campaigns`, body, admin))
    const giftMails = async (email?: string) =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ template: "virtual-goods.campaign-gift", ...(email ? { to: email } : {}) })) as any[]
    const grantsOf = async (campaignId: string) =>
      (await dbConnection.raw(`select id, customer_id, code_id from code_campaign_grant where campaign_id = ? and deleted_at is null order by created_at`, [campaignId])).rows as {
        id: string
        customer_id: string
        code_id: string | null
      }[]
    const campaign = async (id: string) => (await api.get(`/admin/virtual-goods/campaigns/${id}`, admin)).data.campaign

    it("creates campaigns (bad input named), gives each new customer one code with an email and a guest link, and reports it", async () => {
      const refusals: [Record<string, unknown>, string | RegExp][] = [
        [{ name: "x", pool_id: "cpool_missing", trigger: "customer.created", budget: 10 }, "pool_id: card pool cpool_missing was not found"],
        [{ name: "x", pool_id: youku().pool_id, trigger: "customer.created", budget: 0 }, /budget/],
        [{ name: "x", pool_id: youku().pool_id, trigger: "customer.deleted", budget: 10 }, /trigger/],
        [{ name: "x", pool_id: youku().pool_id, trigger: "customer.created", budget: 10, starts_at: "2027-01-02", ends_at: "2027-01-01" }, /ends_at must be after starts_at/],
      ]
      for (const [body, message] of refusals) {
        const res = await create(body)
        expect([res.status, body]).toEqual([400, body])
        if (typeof message === "string") expect(res.data.message).toBe(message)
        else expect(res.data.message).toMatch(message)
      }
      expect((await api.get(`/admin/virtual-goods/campaigns`, admin)).data.campaigns).toEqual([])

      const made = await create({ name: "拉新送7天会员", pool_id: youku().pool_id, trigger: "customer.created", budget: 5 })
      expect(made.status).toBe(201)
      const id = made.data.campaign.id
      expect(made.data.campaign).toEqual(
        expect.objectContaining({ id: expect.stringMatching(/^ccamp_/), status: "active", budget: 5, issued: 0, report: { issued: 0, revealed: 0, redeemed: 0, remaining_budget: 5 } })
      )

      // A shopper registers: the campaign gives them a code, delivered to their grant, and tells them by email.
      const { customer } = await registerCustomer(api, store, "newbie@example.com")
      const [mail] = await waitFor(async () => {
        const list = await giftMails("newbie@example.com")
        return list.length ? list : null
      })
      const grants = await grantsOf(id)
      expect(grants).toEqual([{ id: expect.stringMatching(/^cgrant_/), customer_id: customer.id, code_id: expect.stringMatching(/^ccode_/) }])
      const { rows: given } = await dbConnection.raw(`select status, order_id, mask from card_code where id = ?`, [grants[0].code_id])
      expect(given).toEqual([{ status: "delivered", order_id: grants[0].id, mask: expect.any(String) }])
      expect(mail.data).toEqual(expect.objectContaining({ campaign_id: id, campaign_name: "拉新送7天会员", grant_id: grants[0].id, codes: [{ id: grants[0].code_id, mask: given[0].mask }] }))
      // Masks and a link's id only: the code itself is nowhere in what Medusa stored.
      const { rows: plain } = await dbConnection.raw(`select count(*)::int as n from notification where data::text like '%YOUKU-%'`)
      expect(plain[0].n).toBe(0)
      expect((await campaign(id)).report).toEqual({ issued: 1, revealed: 0, redeemed: 0, remaining_budget: 4 })

      // The guest link opens the code once on purpose; the report counts it revealed.
      const token = revealTokenFromNotification(mail)
      const { data: opened } = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token }, { headers: storeHeaders(store) })
      expect(opened.card_codes).toEqual([expect.objectContaining({ id: grants[0].code_id, code: expect.stringMatching(/^YOUKU-/) })])
      expect((await campaign(id)).report).toEqual({ issued: 1, revealed: 1, redeemed: 0, remaining_budget: 4 })

      // The customer's account lists the gift (masked) and reveals it on purpose; another customer cannot.
      const { token: newbie } = await (async () => {
        const login = await api.post("/auth/customer/emailpass", { email: "newbie@example.com", password: "Passw0rd!" })
        return { token: login.data.token as string }
      })()
      const mine = { headers: storeHeaders(store, newbie) }
      const { data: gifts } = await api.get(`/store/virtual-goods/gifts`, mine)
      expect(gifts.gifts).toEqual([
        expect.objectContaining({ id: grants[0].id, campaign_id: id, campaign_name: "拉新送7天会员", card_codes: [expect.objectContaining({ id: grants[0].code_id, mask: given[0].mask, status: "revealed" })] }),
      ])
      const { data: shown } = await api.post(`/store/virtual-goods/gifts/${grants[0].id}/codes/${grants[0].code_id}/reveal`, {}, mine)
      expect(shown.card_code).toEqual(expect.objectContaining({ id: grants[0].code_id, code: opened.card_codes[0].code }))
      const { token: stranger } = await registerCustomer(api, store, "stranger@example.com")
      const theirs = await settle(api.post(`/store/virtual-goods/gifts/${grants[0].id}/codes/${grants[0].code_id}/reveal`, {}, { headers: storeHeaders(store, stranger) }))
      expect([theirs.status, theirs.data.message]).toEqual([404, `Gift with id: ${grants[0].id} was not found`])
      expect((await api.get(`/store/virtual-goods/gifts`, { headers: storeHeaders(store, stranger) })).data.gifts).toEqual([
        expect.objectContaining({ campaign_id: id, card_codes: [expect.objectContaining({ status: "delivered" })] }),
      ])

      // Once per customer: the event again, or the workflow run by hand, gives nothing more.
      await getContainer().resolve(Modules.EVENT_BUS).emit({ name: "customer.created", data: { id: customer.id } })
      const { result: again } = await issueCampaignCodeWorkflow(getContainer()).run({ input: { campaign_id: id, customer_id: customer.id, email: "newbie@example.com" } })
      expect(again).toEqual({ granted: false, reason: "already_granted", grant_id: null, code_id: null })
      await new Promise((r) => setTimeout(r, 1000))
      expect((await grantsOf(id)).filter((g) => g.customer_id === customer.id)).toHaveLength(1)
      expect(await giftMails("newbie@example.com")).toHaveLength(1)
      // Two customers registered: two codes.
      expect(await grantsOf(id)).toHaveLength(2)

      // The admin's list of what it gave: customer, mask, state — never the code.
      const { data: list } = await api.get(`/admin/virtual-goods/campaigns/${id}/grants`, admin)
      expect(list).toEqual(
        expect.objectContaining({
          grants: expect.arrayContaining([
            expect.objectContaining({ id: grants[0].id, customer_id: customer.id, email: "newbie@example.com", code: expect.objectContaining({ id: grants[0].code_id, mask: given[0].mask, status: "revealed" }) }),
          ]),
          count: 2,
          limit: 50,
          offset: 0,
        })
      )
      expect(list.grants.every((g: any) => !JSON.stringify(g).includes("YOUKU-"))).toBe(true)

      // Paused: a new customer gets nothing; a budget below what was given is refused.
      expect((await api.post(`/admin/virtual-goods/campaigns/${id}`, { status: "paused" }, admin)).data.campaign.status).toBe("paused")
      await registerCustomer(api, store, "later@example.com")
      const low = await settle(api.post(`/admin/virtual-goods/campaigns/${id}`, { budget: 0 }, admin))
      expect([low.status, low.data.message]).toEqual([400, "budget: 2 codes were already given; the budget cannot be lower"])
      await new Promise((r) => setTimeout(r, 1000))
      expect(await grantsOf(id)).toHaveLength(2)
      const missing = await settle(api.get(`/admin/virtual-goods/campaigns/ccamp_missing`, admin))
      expect([missing.status, missing.data.message]).toEqual([404, "Campaign with id: ccamp_missing was not found"])
    })

    it("the budget holds when customers register at once: exactly as many codes as budgeted, the rest told nothing", async () => {
      const { data } = await api.post(`/admin/virtual-goods/campaigns`, { name: "First 3", pool_id: youku().pool_id, trigger: "customer.created", budget: 3 }, admin)
      const id = data.campaign.id
      const emails = Array.from({ length: 8 }, (_, i) => `rush${i}@example.com`)
      await Promise.all(emails.map((e) => registerCustomer(api, store, e)))
      await waitFor(async () => ((await giftMails()).length >= 3 ? true : null))
      await new Promise((r) => setTimeout(r, 1500))
      const grants = await grantsOf(id)
      expect(grants).toHaveLength(3)
      expect(new Set(grants.map((g) => g.customer_id)).size).toBe(3)
      expect(grants.every((g) => !!g.code_id)).toBe(true)
      expect(await giftMails()).toHaveLength(3)
      expect((await campaign(id)).report).toEqual({ issued: 3, revealed: 0, redeemed: 0, remaining_budget: 0 })
      // The vault: three codes delivered to the three grants, the rest for sale; conservation holds.
      const counts = await poolCounts(dbConnection, youku().pool_id)
      expect(counts).toEqual(expect.objectContaining({ available: 9, delivered: 3, reserved: 0 }))
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(12)
      // The margin report: three codes gone at their cost (10.5 each), no revenue.
      const { data: sales } = await api.get(`/admin/virtual-goods/reports/sales`, admin)
      expect(sales.pools.find((p: any) => p.pool_id === youku().pool_id)).toEqual(expect.objectContaining({ sold: 3, revenue: {}, cost: { usd: "31.5" }, margin: {} }))
    })

    it("an empty pool gives nothing and spends no budget; an order.placed campaign counts a redeemed voucher", async () => {
      // The game points pool is empty: the registration still works, the campaign gives nothing, its budget is intact.
      const { data: empty } = await api.post(`/admin/virtual-goods/campaigns`, { name: "Points for new players", pool_id: points().pool_id, trigger: "customer.created", budget: 2 }, admin)
      await registerCustomer(api, store, "player@example.com")
      await new Promise((r) => setTimeout(r, 1500))
      expect(await grantsOf(empty.campaign.id)).toEqual([])
      expect((await campaign(empty.campaign.id)).report).toEqual({ issued: 0, revealed: 0, redeemed: 0, remaining_budget: 2 })

      // Youku codes are the store's own vouchers here: a first order gives one, the customer redeems it at the counter.
      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/voucher-program`, { kind: "single_use" }, admin)
      await api.post(`/admin/virtual-goods/campaigns/${empty.campaign.id}`, { status: "paused" }, admin)
      const { data: loyal } = await api.post(`/admin/virtual-goods/campaigns`, { name: "A gift with your first order", pool_id: youku().pool_id, trigger: "order.placed", budget: 10 }, admin)
      const { token } = await registerCustomer(api, store, "buyer@example.com")
      const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }], { email: "buyer@example.com", token })
      await completeCart(api, store, cart.id, token)
      const [mail] = await waitFor(async () => {
        const list = await giftMails("buyer@example.com")
        return list.length ? list : null
      })
      // A second order of the same customer gives nothing more.
      const cart2 = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }], { email: "buyer@example.com", token })
      await completeCart(api, store, cart2.id, token)
      await new Promise((r) => setTimeout(r, 1500))
      expect(await grantsOf(loyal.campaign.id)).toHaveLength(1)

      const { data: opened } = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token: revealTokenFromNotification(mail) }, { headers: storeHeaders(store) })
      const code = opened.card_codes[0].code
      const redeemed = await api.post(`/admin/virtual-goods/vouchers/redeem`, { code }, { headers: { ...admin.headers, "idempotency-key": "gift-1" } })
      expect(redeemed.status).toBe(200)
      expect((await campaign(loyal.campaign.id)).report).toEqual({ issued: 1, revealed: 1, redeemed: 1, remaining_budget: 9 })
    })
  },
})
