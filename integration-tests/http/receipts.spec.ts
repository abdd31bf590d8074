import { randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { completeCart, prepareCart, settle, storeHeaders, waitForDelivery } from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(180_000)

const secret = () => randomBytes(32).toString("base64url")

/**
 * Receipts: the browser that checks out a cart registers a secret for it, and once the cart is an order that secret —
 * and nothing else — opens the order's codes on its confirmation page: masked, then revealed on purpose, audited,
 * limited-use; only its hash is stored.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 10, eachTest: true })
    const headers = () => ({ headers: storeHeaders(store) })

    it("a receipt registered for a cart opens its order's codes masked, reveals them once per use, audited; nothing else opens them", async () => {
      const cart = await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity: 2 }], { email: "receipt@example.com" })
      const mine = secret()
      const created = await api.post(`/store/virtual-goods/carts/${cart.id}/receipt`, { secret: mine }, headers())
      expect([created.status, created.data.receipt]).toEqual([201, { id: expect.stringMatching(/^crcpt_/), expires_at: expect.any(String), max_uses: 5 }])
      // The first registration wins: nobody who learns the cart's id can swap in a secret of their own.
      const second = await settle(api.post(`/store/virtual-goods/carts/${cart.id}/receipt`, { secret: secret() }, headers()))
      expect([second.status, second.data.message]).toEqual([422, `Cart ${cart.id} already has a receipt`])
      const bad = await settle(api.post(`/store/virtual-goods/carts/${cart.id}/receipt`, { secret: "short" }, headers()))
      expect([bad.status, bad.data.message]).toEqual([400, "Invalid request: Value for field 'secret' too small, expected at least: '43'"])

      const order = (await completeCart(api, store, cart.id)).data.order
      await waitForDelivery(api, getContainer(), admin, order.id, 2)
      const { data: lookup } = await api.post(`/store/virtual-goods/receipts/lookup`, { order_id: order.id, secret: mine }, headers())
      expect(lookup).toEqual({
        order_id: order.id,
        uses_left: 5,
        expires_at: expect.any(String),
        card_codes: [expect.objectContaining({ status: "delivered", mask: expect.stringMatching(/^\*+/) }), expect.objectContaining({ status: "delivered" })],
      })

      // A wrong secret, and the right secret for another order, look like an unknown receipt — and spend nothing.
      const other = (await completeCart(api, store, (await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity: 1 }])).id)).data.order
      for (const attempt of [
        { order_id: order.id, secret: secret() },
        { order_id: other.id, secret: mine },
        { order_id: "order_01NOSUCHORDER00000000000000", secret: mine },
      ]) {
        const res = await settle(api.post(`/store/virtual-goods/receipts/reveal`, attempt, headers()))
        expect([res.status, res.data.message]).toEqual([404, "Receipt is invalid or has expired"])
      }

      const { data: revealed } = await api.post(`/store/virtual-goods/receipts/reveal`, { order_id: order.id, secret: mine }, headers())
      expect(revealed.uses_left).toBe(4)
      expect(revealed.card_codes).toHaveLength(2)
      const { data: log } = await api.get(`/admin/virtual-goods/audit-logs?action=reveal&order_id=${order.id}`, admin)
      expect(log.card_audit_logs).toEqual([expect.objectContaining({ actor_type: "guest_link", actor_id: created.data.receipt.id, code_count: 2 })])
      for (let i = 0; i < 4; i++) await api.post(`/store/virtual-goods/receipts/reveal`, { order_id: order.id, secret: mine }, headers())
      const spent = await settle(api.post(`/store/virtual-goods/receipts/lookup`, { order_id: order.id, secret: mine }, headers()))
      expect(spent.status).toBe(404)

      // At rest only the hash: the secret is in no table (workflow executions included).
      const { rows: tables } = await dbConnection.raw(
        `select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`
      )
      const hits: string[] = []
      for (const t of tables) {
        const { rows } = await dbConnection.raw(`select t::text as r from "${t.table_schema}"."${t.table_name}" t`)
        if (rows.some(({ r }: { r: string }) => r.includes(mine))) hits.push(t.table_name)
      }
      expect(hits).toEqual([])
      const { rows: stored } = await dbConnection.raw(`select cart_id, use_count from card_receipt`)
      expect(stored).toEqual([{ cart_id: cart.id, use_count: 5 }])
    })

    it("a completed or unknown cart gets no receipt", async () => {
      const cart = await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity: 1 }])
      await completeCart(api, store, cart.id)
      const late = await settle(api.post(`/store/virtual-goods/carts/${cart.id}/receipt`, { secret: secret() }, headers()))
      expect([late.status, late.data.message]).toEqual([400, `Cart ${cart.id} is already completed`])
      const unknown = await settle(api.post(`/store/virtual-goods/carts/cart_01NOSUCHCART000000000000000/receipt`, { secret: secret() }, headers()))
      expect([unknown.status, unknown.data.message]).toEqual([404, "Cart id not found: cart_01NOSUCHCART000000000000000"])
      const { rows } = await dbConnection.raw(`select count(*)::int as n from card_receipt`)
      expect(rows[0].n).toBe(0)
    })
  },
})
