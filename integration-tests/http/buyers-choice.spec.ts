import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { sweepVirtualGoods } from "../../src/jobs/virtual-goods-sweep"
import { pickLabel } from "../../src/modules/card-vault/utils/pick-label"
import { assertVaultInvariants, completeCart, settle, startPaymentSession, storeHeaders, waitForDelivery } from "../helpers"
import { liftedRateLimits, useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(300_000)
useEnv({ VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("payment_hold", "stock") })

const TAKEN = "This code was just taken; pick another"
const LOST = "The code you picked is no longer available; remove the line and pick another"

/**
 * Buyer's choice (自选卡密): a pool offers its codes to be picked at a premium; shoppers see labels the merchant's rule
 * allows (never codes), a pick reserves one code atomically (of carts racing for it exactly one wins), checkout takes
 * it again and delivery puts exactly that code on the picked line.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    // "Game points 100" (10 USD, no codes): the pool that offers picking.
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 4 })
    const points = () => store.products[1]
    const youku = () => store.products[0]
    /** 10 phone-like codes (11 characters) and one too short to be shown under the rule (it would hide 1 character). */
    const CODES = Array.from({ length: 10 }, (_, i) => `1380000${1000 + i}`)
    const SHORT = "AB1234567"
    const IMPORTED = CODES.length + 1
    const headers = () => ({ headers: storeHeaders(store) })

    const importAndOffer = async () => {
      await api.post(`/admin/virtual-goods/pools/${points().pool_id}/imports`, { codes: [...CODES, SHORT], cost_per_code: 6, currency_code: "usd", supplier: "Points Co" }, admin)
      return api.post(`/admin/virtual-goods/pools/${points().pool_id}`, { pick_premium_bp: 2000, pick_show_first: 3, pick_show_last: 4 }, admin)
    }
    const labels = async () =>
      (await dbConnection.raw(`select id, pick_label from card_code where pool_id = ? order by pick_label, id`, [points().pool_id])).rows as { id: string; pick_label: string | null }[]
    const list = (query = "") => settle(api.get(`/store/virtual-goods/variants/${points().variant_id}/picks${query}`, headers()))
    const newCart = async (email = "picker@example.com") =>
      (await api.post("/store/carts", { region_id: store.region_id, email }, headers())).data.cart as { id: string }
    const pick = (cartId: string, codeId: string) => settle(api.post(`/store/virtual-goods/carts/${cartId}/picks`, { variant_id: points().variant_id, code_id: codeId }, headers()))
    const codeRow = async (id: string) =>
      (await dbConnection.raw(`select id, status, cart_id, order_id, line_item_id from card_code where id = ?`, [id])).rows[0]
    const checkout = async (cartId: string) => {
      await startPaymentSession(api, store, cartId)
      return settle(completeCart(api, store, cartId))
    }
    /** The id of the code whose label is `138****<last4>`. */
    const codeIdOf = async (last4: string) => {
      const { data } = await api.get(`/store/virtual-goods/variants/${points().variant_id}/picks?q=${last4}`, headers())
      expect(data.codes).toHaveLength(1)
      return data.codes[0].id as string
    }

    it("admin: turning picking on labels codes by the rule; bad values and reusable pools are refused; off clears labels", async () => {
      const { data } = await importAndOffer()
      expect(data.card_pool).toEqual(expect.objectContaining({ pick_premium_bp: 2000, pick_show_first: 3, pick_show_last: 4 }))
      const rows = await labels()
      expect(rows.map((r) => r.pick_label).sort()).toEqual(["", ...CODES.map((c) => pickLabel(c, 3, 4))].sort())
      expect(rows.map((r) => r.pick_label)).toContain("138****1005")

      const refusals: [Record<string, unknown>, RegExp][] = [
        [{ pick_premium_bp: -1 }, /^Invalid request: .*pick_premium_bp/],
        [{ pick_premium_bp: 12.5 }, /^Invalid request: .*pick_premium_bp/],
        [{ pick_show_first: "3" }, /^Invalid request: .*pick_show_first/],
        [{ pick_show_last: 65 }, /^Invalid request: .*pick_show_last/],
      ]
      for (const [body, message] of refusals) {
        const res = await settle(api.post(`/admin/virtual-goods/pools/${points().pool_id}`, body, admin))
        expect([res.status, body]).toEqual([400, body])
        expect(res.data.message).toMatch(message)
      }
      const { data: reusable } = await api.post(`/admin/virtual-goods/pools`, { name: "Shared VIP", kind: "reusable" }, admin)
      const refused = await settle(api.post(`/admin/virtual-goods/pools/${reusable.card_pool.id}`, { pick_premium_bp: 1000 }, admin))
      expect([refused.status, refused.data.message]).toEqual([400, "pick_premium_bp: a reusable pool's codes cannot be picked (each is sold to many buyers)"])
      expect((await api.get(`/admin/virtual-goods/pools/${reusable.card_pool.id}`, admin)).data.card_pool.pick_premium_bp).toBeNull()

      // A new rule relabels; picking off clears the labels and the store's list is gone.
      await api.post(`/admin/virtual-goods/pools/${points().pool_id}`, { pick_show_first: 0, pick_show_last: 4 }, admin)
      expect((await labels()).map((r) => r.pick_label)).toContain("*******1005")
      await api.post(`/admin/virtual-goods/pools/${points().pool_id}`, { pick_premium_bp: null }, admin)
      expect((await labels()).filter((r) => r.pick_label !== null)).toEqual([])
      expect((await list()).status).toBe(404)
      // Audited picks only: labelling writes no audit row and no plaintext anywhere but the vault.
      const { rows: audit } = await dbConnection.raw(`select count(*)::int as n from card_audit_log where details::text like '%13800001%' or reason like '%13800001%'`)
      expect(audit[0].n).toBe(0)
    })

    it("store: lists labels with a search; 8 carts pick one code at once, exactly one gets it and receives it at price × 1.2", async () => {
      await importAndOffer()
      const all = await list()
      expect(all.status).toBe(200)
      expect(all.data.pick).toEqual({ premium_bp: 2000, show_first: 3, show_last: 4 })
      expect(all.data.count).toBe(10)
      expect(all.data.codes[0]).toEqual({ id: expect.stringMatching(/^ccode_/), label: "138****1000" })
      expect(Object.keys(all.data.codes[0]).sort()).toEqual(["id", "label"])
      expect((await list("?q=1003")).data.codes.map((c: any) => c.label)).toEqual(["138****1003"])
      expect((await list("?q=%25")).data.count).toBe(0)
      expect((await list("?q=100_")).data.count).toBe(0)
      expect((await list("?limit=3&offset=9")).data.codes.map((c: any) => c.label)).toEqual(["138****1009"])
      const star = await list("?q=*")
      expect([star.status, star.data.message]).toEqual([400, expect.stringMatching(/^Invalid request: .*q: search by the characters a label shows/)])
      // A variant whose pool does not offer picking, an unknown one: 404.
      expect((await settle(api.get(`/store/virtual-goods/variants/${youku().variant_id}/picks`, headers()))).status).toBe(404)
      expect((await settle(api.get(`/store/virtual-goods/variants/variant_missing/picks`, headers()))).status).toBe(404)

      const target = await codeIdOf("1005")
      const carts = await Promise.all(Array.from({ length: 8 }, (_, i) => newCart(`racer${i}@example.com`)))
      const started = Date.now()
      const results = await Promise.all(carts.map((c) => pick(c.id, target)))
      const raceMs = Date.now() - started
      const won = results.filter((r) => r.status === 200)
      const lost = results.filter((r) => r.status !== 200)
      expect(won).toHaveLength(1)
      expect(lost.map((r) => [r.status, r.data.message])).toEqual(Array(7).fill([400, TAKEN]))
      const winner = won[0].data.cart
      console.info(`8 concurrent picks of one code: 1 won, 7 refused in ${raceMs} ms`)
      expect(await codeRow(target)).toEqual(expect.objectContaining({ status: "reserved", cart_id: winner.id, order_id: null }))
      // Losers' carts have no line; the winner's one line: quantity 1, 10 × 1.2 = 12, the code's id and label.
      for (const r of lost) expect(r.data.message).not.toMatch(/1380000/)
      const line = winner.items[0]
      expect(winner.items).toHaveLength(1)
      expect([line.quantity, Number(line.unit_price), line.metadata]).toEqual([1, 12, { picked_code_id: target, pick_label: "138****1005" }])
      const { rows: custom } = await dbConnection.raw(`select is_custom_price from cart_line_item where id = ?`, [line.id])
      expect(custom).toEqual([{ is_custom_price: true }])
      // Picking the same code again for the same cart changes nothing.
      const again = await pick(winner.id, target)
      expect([again.status, again.data.cart.items.length]).toEqual([200, 1])
      // The code is no longer listed.
      expect((await list()).data.count).toBe(9)
      // Audited: one pick row for the winner's cart.
      const { rows: picks } = await dbConnection.raw(`select cart_id, code_ids from card_audit_log where action = 'pick'`)
      expect(picks).toEqual([{ cart_id: winner.id, code_ids: [target] }])

      const done = await checkout(winner.id)
      expect(done.status).toBe(200)
      const order = done.data.order
      await waitForDelivery(api, getContainer(), admin, order.id, 1)
      const delivered = (await dbConnection.raw(`select id, line_item_id, status from card_code where order_id = ?`, [order.id])).rows
      expect(delivered).toEqual([{ id: target, line_item_id: order.items[0].id, status: "delivered" }])
      expect([Number(order.items[0].unit_price), order.items[0].metadata?.picked_code_id]).toEqual([12, target])
      expect(await assertVaultInvariants(dbConnection, points().pool_id, IMPORTED)).toEqual(expect.objectContaining({ available: 10, reserved: 0, delivered: 1 }))
    })

    it("checkout: a picked line raised to quantity 2 is refused; a line with a code id it was not priced for is refused", async () => {
      await importAndOffer()
      const cart = await newCart()
      const { data } = await pick(cart.id, await codeIdOf("1001"))
      const lineId = data.cart.items[0].id
      await api.post(`/store/carts/${cart.id}/line-items/${lineId}`, { quantity: 2 }, headers())
      const refused = await checkout(cart.id)
      expect([refused.status, refused.data.message]).toEqual([400, `Line ${lineId} holds a picked code: its quantity must be 1, not 2`])

      // Medusa's own add-to-cart takes metadata: a code id written there is not a pick (no premium paid).
      const forged = await newCart("forger@example.com")
      const target = await codeIdOf("1002")
      const { data: added } = await api.post(
        `/store/carts/${forged.id}/line-items`,
        { variant_id: points().variant_id, quantity: 1, metadata: { picked_code_id: target } },
        headers()
      )
      const forgedLine = added.cart.items[0].id
      const no = await checkout(forged.id)
      expect([no.status, no.data.message]).toEqual([400, `Line ${forgedLine} names a picked code it was not priced for: remove the line and pick again`])
      expect(await codeRow(target)).toEqual(expect.objectContaining({ status: "available", cart_id: null }))
      await assertVaultInvariants(dbConnection, points().pool_id, IMPORTED)
    })

    it("checkout: a swept pick is reserved again; one taken meanwhile refuses the checkout; a dropped pick goes back to stock", async () => {
      await importAndOffer()
      const [a, b, c] = [await newCart("a@example.com"), await newCart("b@example.com"), await newCart("c@example.com")]
      const x = await codeIdOf("1006")
      const y = await codeIdOf("1007")
      expect((await pick(a.id, x)).status).toBe(200)
      expect((await pick(c.id, y)).status).toBe(200)
      // Both reservations outlive their TTL: the sweep gives them back to stock.
      await dbConnection.raw(`update card_code set reserved_at = now() - interval '2 days' where id in (?, ?)`, [x, y])
      await sweepVirtualGoods(getContainer())
      expect(await codeRow(x)).toEqual(expect.objectContaining({ status: "available", cart_id: null }))
      // Cart B picks X while it is back in stock: A's checkout is refused, B's goes through.
      expect((await pick(b.id, x)).status).toBe(200)
      const lost = await checkout(a.id)
      expect([lost.status, lost.data.message]).toEqual([400, LOST])
      const bDone = await checkout(b.id)
      expect(bDone.status).toBe(200)
      // Cart C's swept pick is still in stock: reserved again at completion and delivered on its line.
      const cDone = await checkout(c.id)
      expect(cDone.status).toBe(200)
      await waitForDelivery(api, getContainer(), admin, cDone.data.order.id, 1)
      await waitForDelivery(api, getContainer(), admin, bDone.data.order.id, 1)
      expect(await codeRow(y)).toEqual(expect.objectContaining({ status: "delivered", order_id: cDone.data.order.id, line_item_id: cDone.data.order.items[0].id }))
      expect(await codeRow(x)).toEqual(expect.objectContaining({ status: "delivered", order_id: bDone.data.order.id, line_item_id: bDone.data.order.items[0].id }))

      // A pick whose line was removed is not handed out on another line of the pool: it goes back to stock.
      const d = await newCart("d@example.com")
      const z = await codeIdOf("1008")
      const { data: picked } = await pick(d.id, z)
      await api.delete(`/store/carts/${d.id}/line-items/${picked.cart.items[0].id}`, headers())
      await api.post(`/store/carts/${d.id}/line-items`, { variant_id: points().variant_id, quantity: 1 }, headers())
      const dDone = await checkout(d.id)
      expect(dDone.status).toBe(200)
      await waitForDelivery(api, getContainer(), admin, dDone.data.order.id, 1)
      expect(await codeRow(z)).toEqual(expect.objectContaining({ status: "available", cart_id: null }))
      expect(Number(dDone.data.order.items[0].unit_price)).toBe(10)

      const counts = await assertVaultInvariants(dbConnection, points().pool_id, IMPORTED)
      expect(counts).toEqual(expect.objectContaining({ available: 8, reserved: 0, delivered: 3 }))
      // Nothing of a code in what Medusa stores for the carts and orders.
      const sent = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({})
      expect(JSON.stringify(sent)).not.toMatch(/13800001\d{3}/)
    })
  },
})
