import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { completeCart, prepareCart, settle, storeHeaders, waitFor } from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"
import { startTopupSupplier, SUPPLIER_CODES, TopupSupplier } from "../helpers/topup-supplier"
import { GENERIC_HTTP_EXAMPLE_CONFIG, genericHttpAdapter } from "../../src/modules/suppliers/adapters/generic-http"
import { runSupplierOrdersTick } from "../../src/workflows/suppliers/utils/run-supplier-orders"
import { applySupplierCallbackWorkflow } from "../../src/workflows/suppliers"
import { createTopUpOffer, placeTopUpOrder } from "../helpers/topups"

jest.setTimeout(240_000)

// The fake supplier listens on loopback: the suppliers module may connect there in this test only.
process.env.VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS = "true"

const PHONE = "13800138000"

/**
 * Direct top-ups (直充) end to end against a fake supplier on loopback speaking the generic protocol (form-encoded,
 * MD5-signed): the recipient validated and sealed, the order submitted once with our id as the supplier's order number,
 * a timeout queried (never refunded), a definite failure refunded through Medusa with the customer told, a late
 * callback after the refund recorded and never applied, a bad signature refused, an unknown outcome decided by an admin.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 2 })
    let fake: TopupSupplier
    let supplierId: string
    let variantId: string

    beforeAll(async () => {
      fake = await startTopupSupplier()
    })
    afterEach(() => {
      fake.clearFailures()
    })
    afterAll(async () => {
      await fake?.stop()
    })

    /** A paid order of one top-up line for `phone`; answers the order and its supplier order once it exists. */
    async function buyTopUp(phone = PHONE, settled = (o: any) => o?.status !== "pending" && o?.status !== "submitting") {
      const orderId = await placeTopUpOrder(api, store, variantId, phone)
      const supplierOrder = await waitFor(async () => {
        const { data: list } = await api.get(`/admin/virtual-goods/supplier-orders?order_id=${orderId}`, admin)
        return list.supplier_orders[0] && settled(list.supplier_orders[0]) ? list.supplier_orders[0] : null
      }, 30_000).catch(async () => (await api.get(`/admin/virtual-goods/supplier-orders?order_id=${orderId}`, admin)).data.supplier_orders[0])
      return { orderId, supplierOrder }
    }

    const refundsOf = async (orderId: string) => {
      const { data } = await getContainer().resolve("query").graph({
        entity: "order",
        fields: ["id", "payment_collections.payments.amount", "payment_collections.payments.captured_at", "payment_collections.payments.refunds.amount", "payment_collections.payments.refunds.note"],
        filters: { id: orderId },
      })
      const payments = (data[0] as any).payment_collections.flatMap((pc: any) => pc.payments)
      return { paid: payments.reduce((s: number, p: any) => s + Number(p.amount), 0), refunds: payments.flatMap((p: any) => p.refunds ?? []) }
    }

    // Created before the runner's snapshot: every test starts from this state (the runner restores it before each).
    beforeAll(async () => {
      ;({ supplierId, variantId } = await createTopUpOffer(getContainer(), store, fake))
    })

    it("shows suppliers with health and balance, never their credentials; checks input naming the field", async () => {
      const { data } = await api.get(`/admin/virtual-goods/suppliers/${supplierId}`, admin)
      expect(data.supplier).toEqual(expect.objectContaining({ adapter: "generic_http", status: "active", credential_fields: ["app_id", "secret"] }))
      expect(data.products).toEqual([expect.objectContaining({ kind: "topup", upstream_product_id: "mobile-10", unit_cost: 9.9, max_unit_cost: 9.95 })])
      expect(JSON.stringify(data)).not.toContain(fake.credentials.secret)
      const [row] = await dbConnection.raw(`SELECT credentials_ciphertext FROM supplier WHERE id = ?`, [supplierId]).then((r: any) => r.rows)
      expect(Buffer.from(row.credentials_ciphertext, "base64").toString("latin1")).not.toContain(fake.credentials.secret)

      const check = await api.post(`/admin/virtual-goods/suppliers/${supplierId}/check`, {}, admin)
      expect(check.data).toEqual(expect.objectContaining({ ok: true, balance: { amount: "1000", currency_code: "CNY" } }))
      expect(check.data.supplier).toEqual(expect.objectContaining({ health: "ok", balance: 1000 }))
      const upstream = await api.get(`/admin/virtual-goods/suppliers/${supplierId}/products`, admin)
      expect(upstream.data.upstream_products.map((p: any) => [p.id, p.unit_cost])).toEqual([["mobile-10", "9.9"], ["mobile-50", "49.5"], ["game-60", "5.88"]])

      // New credentials through the admin API are sealed before any workflow sees them; a wrong secret fails the check.
      const updated = await api.post(`/admin/virtual-goods/suppliers/${supplierId}`, { credentials: { app_id: fake.credentials.app_id, secret: "wrong-secret" } }, admin)
      expect(updated.data.supplier.credential_fields).toEqual(["app_id", "secret"])
      expect(JSON.stringify(updated.data)).not.toContain("wrong-secret")
      const failing = await api.post(`/admin/virtual-goods/suppliers/${supplierId}/check`, {}, admin)
      expect(failing.data).toEqual(expect.objectContaining({ ok: false, balance: null }))
      expect(failing.data.supplier.health).toBe("failing")

      const dup = await settle(api.post(`/admin/virtual-goods/suppliers`, { name: "Fake top-ups", adapter: "generic_http", base_url: fake.url }, admin))
      expect(dup.status).toBe(422)
      const badUrl = await settle(api.post(`/admin/virtual-goods/suppliers`, { name: "Other", adapter: "generic_http", base_url: "ftp://x" }, admin))
      expect(badUrl.status).toBe(400)
      expect(badUrl.data.message).toContain("base_url must be an http(s) URL")
      const badMoney = await settle(api.post(`/admin/virtual-goods/suppliers/${supplierId}`, { low_balance_threshold: "12,50" }, admin))
      expect([badMoney.status, badMoney.data.message]).toEqual([400, expect.stringContaining("low_balance_threshold must be a decimal amount")])
      const bad = await settle(api.post(`/admin/virtual-goods/suppliers/${supplierId}/products`, { kind: "topup", upstream_product_id: "mobile-10", name: "x", variant_id: variantId, recipient_fields: [{ key: "Phone!" }] }, admin))
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("recipient_fields[0].key")
      const fields = await api.get(`/store/virtual-goods/topup-fields?variant_id=${variantId}`, { headers: storeHeaders(store) })
      expect(fields.data).toEqual({ variant_id: variantId, top_up: true, fields: [expect.objectContaining({ key: "account", label: "Phone number", pattern: "1[3-9]\\d{9}" })] })
    })

    it("refuses a checkout without a recipient and a recipient in the wrong format, naming the field; stores it sealed and masked", async () => {
      const cart = await prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }])
      const line = cart.items[0]
      const missing = await settle(completeCart(api, store, cart.id))
      expect(missing.status).toBe(400)
      expect(missing.data.message).toContain(`needs its recipient: set it for line ${line.id}`)
      // A payment hold (an asynchronous payment about to start) refuses it too, before the shopper pays.
      const mixed = await prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }, { variant_id: store.products[0].variant_id, quantity: 1 }])
      const topUpLine = mixed.items.find((i: any) => i.variant_id === variantId)
      const hold = await settle(api.post(`/store/virtual-goods/carts/${mixed.id}/payment-hold`, {}, { headers: storeHeaders(store) }))
      expect(hold.status).toBe(400)
      expect(hold.data.message).toContain(`needs its recipient: set it for line ${topUpLine.id}`)
      const wrong = await settle(api.post(`/store/virtual-goods/carts/${cart.id}/line-items/${line.id}/recipient`, { recipient: { account: "12345" } }, { headers: storeHeaders(store) }))
      expect(wrong.status).toBe(400)
      expect(wrong.data.message).toBe("recipient.account (Phone number) is not in the expected format")
      const extra = await settle(api.post(`/store/virtual-goods/carts/${cart.id}/line-items/${line.id}/recipient`, { recipient: { account: PHONE, zone: "1" } }, { headers: storeHeaders(store) }))
      expect(extra.status).toBe(400)
      expect(extra.data.message).toContain("recipient.zone is not a field of this product")
      const ok = await api.post(`/store/virtual-goods/carts/${cart.id}/line-items/${line.id}/recipient`, { recipient: { account: PHONE } }, { headers: storeHeaders(store) })
      expect(ok.data.recipient).toEqual({ id: expect.stringMatching(/^rcpt_/), masked: "account: ********000" })
      // Medusa's line holds the id and the mask only; our row holds ciphertext.
      const { rows } = await dbConnection.raw(`SELECT metadata::text AS m FROM cart_line_item WHERE id = ?`, [line.id])
      expect(rows[0].m).toContain(ok.data.recipient.id)
      expect(rows[0].m).not.toContain(PHONE)
      const sealed = await dbConnection.raw(`SELECT count(*)::int AS n FROM supplier_recipient WHERE ciphertext LIKE ? OR masked LIKE ?`, [`%${PHONE}%`, `%${PHONE}%`])
      expect(sealed.rows[0].n).toBe(0)
    })

    it("submits a paid top-up once, with our id as the supplier's order number; the supplier credits it once", async () => {
      const { orderId, supplierOrder: submitted } = await buyTopUp()
      // The supplier accepts at once and credits shortly after: its answer is "processing", a query finds it done.
      expect(submitted).toEqual(expect.objectContaining({ status: "accepted", upstream_order_no: expect.stringMatching(/^SP/) }))
      await dbConnection.raw(`UPDATE supplier_order SET next_check_at = now() - interval '1 second' WHERE id = ?`, [submitted.id])
      await runSupplierOrdersTick(getContainer() as any)
      const supplierOrder = (await api.get(`/admin/virtual-goods/supplier-orders/${submitted.id}`, admin)).data.supplier_order
      expect(supplierOrder).toEqual(
        expect.objectContaining({ status: "succeeded", attempts: 1, quantity: 1, amount: 10, cost: 9.9, refund_status: "none", recipient_masked: "account: ********000", upstream_product_id: "mobile-10" })
      )
      expect(fake.creditedCount(supplierOrder.id)).toBe(1)
      expect(fake.order(supplierOrder.id)).toEqual(expect.objectContaining({ charge_account: PHONE, product_id: "mobile-10", status: "success" }))
      // The sealed recipient went to the supplier only; nothing we store for Medusa holds it.
      const leaks = await dbConnection.raw(
        `SELECT (SELECT count(*) FROM workflow_execution WHERE execution::text LIKE ? OR context::text LIKE ?)::int AS wf,
                (SELECT count(*) FROM notification WHERE data::text LIKE ?)::int AS notes,
                (SELECT count(*) FROM supplier_order_event WHERE answer::text LIKE ? OR coalesce(reason, '') LIKE ?)::int AS events`,
        [`%${PHONE}%`, `%${PHONE}%`, `%${PHONE}%`, `%${PHONE}%`, `%${PHONE}%`]
      )
      expect(leaks.rows[0]).toEqual({ wf: 0, notes: 0, events: 0 })
      // A second run of everything that could submit it (the events again, the job) submits nothing more.
      await runSupplierOrdersTick(getContainer() as any)
      await getContainer().resolve(Modules.EVENT_BUS).emit({ name: "order.placed", data: { id: orderId } })
      await new Promise((r) => setTimeout(r, 1000))
      expect(fake.requestsTo("/api/recharge").filter((r) => r.params.order_no === supplierOrder.id)).toHaveLength(1)
      const { data } = await api.get(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}`, admin)
      expect(data.events.map((e: any) => [e.kind, e.outcome, e.from_status, e.to_status])).toEqual([
        ["submit", "accepted", "submitting", "accepted"],
        ["query", "succeeded", "accepted", "succeeded"],
      ])
      const money = await refundsOf(orderId)
      expect(money).toEqual({ paid: 10, refunds: [] })
      // The customer is told, once, with the recipient masked.
      const told = await waitFor(async () => {
        const list = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ template: "virtual-goods.topup-succeeded", resource_id: orderId })
        return list.length ? list : null
      })
      expect(told).toHaveLength(1)
      expect(told[0]).toEqual(expect.objectContaining({ to: "topup@example.com", data: expect.objectContaining({ product: "Mobile top-up 10 CNY", recipient: "account: ********000" }) }))
    })

    it("a timeout is never a failure: the order is queried and found credited (once), nothing refunded", async () => {
      fake.timeout()
      const { orderId, supplierOrder } = await buyTopUp(PHONE, (o) => o?.status === "submitting" && !!o.last_error)
      expect(supplierOrder.status).toBe("submitting")
      expect(supplierOrder.last_error).toMatch(/no answer in time/)
      expect(fake.creditedCount(supplierOrder.id)).toBe(1)
      await dbConnection.raw(`UPDATE supplier_order SET next_check_at = now() - interval '1 second' WHERE id = ?`, [supplierOrder.id])
      // The query (this tick's, or the job's if it came first) finds it credited.
      await runSupplierOrdersTick(getContainer() as any)
      const { data } = await api.get(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}`, admin)
      expect(data.supplier_order).toEqual(expect.objectContaining({ status: "succeeded", refund_status: "none", attempts: 1 }))
      expect(data.events.map((e: any) => [e.kind, e.outcome])).toEqual([
        ["submit", "unknown"],
        ["query", "succeeded"],
      ])
      expect(fake.creditedCount(supplierOrder.id)).toBe(1)
      expect((await refundsOf(orderId)).refunds).toEqual([])
    })

    it("a definite failure refunds the line through Medusa, once, and tells the customer; a late success callback changes nothing", async () => {
      fake.definiteFailure(SUPPLIER_CODES.invalidRecipient)
      const { orderId, supplierOrder } = await buyTopUp("13900139000")
      const refunded = await waitFor(async () => {
        const { data } = await api.get(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}`, admin)
        return data.supplier_order.refund_status === "refunded" ? data : null
      })
      expect(refunded.supplier_order).toEqual(expect.objectContaining({ status: "failed", failure_reason: expect.stringContaining("invalid recharge account") }))
      expect(fake.creditedCount(supplierOrder.id)).toBe(0)
      const money = await refundsOf(orderId)
      expect(money.refunds).toEqual([expect.objectContaining({ amount: 10, note: `Top-up failed at the supplier (supplier order ${supplierOrder.id})` })])
      // The customer is told right after the refund is marked finished (the same run's next step).
      const notifications = await waitFor(async () => {
        const list = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ template: "virtual-goods.topup-refunded", resource_id: orderId })
        return list.length ? list : null
      })
      expect(notifications).toHaveLength(1)
      expect(notifications[0].data).toEqual(expect.objectContaining({ recipient: "account: ********000", amount: "10", reason: expect.stringContaining("invalid recharge account") }))
      expect(JSON.stringify(notifications[0].data)).not.toContain("13900139000")

      // The job again: nothing more is refunded.
      await runSupplierOrdersTick(getContainer() as any)
      expect((await refundsOf(orderId)).refunds).toHaveLength(1)

      // A (verified) callback claiming success after the refund: recorded, a finding for the admins, the order untouched.
      const { result: late } = await applySupplierCallbackWorkflow(getContainer()).run({
        input: { supplier_id: supplierId, order_no: supplierOrder.id, answer: { state: "succeeded", reason: null } },
      })
      expect(late).toEqual(expect.objectContaining({ found: true, changed: false, late: true, status: "failed" }))
      const after = (await api.get(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}`, admin)).data
      expect(after.supplier_order).toEqual(expect.objectContaining({ status: "failed", refund_status: "refunded" }))
      expect(after.events.map((e: any) => e.kind)).toEqual(expect.arrayContaining(["callback", "late_callback"]))
      const findings = await dbConnection.raw(`SELECT kind, status FROM supplier_finding WHERE supplier_order_id = ?`, [supplierOrder.id])
      expect(findings.rows).toEqual([{ kind: "late_callback", status: "open" }])
      expect((await refundsOf(orderId)).refunds).toHaveLength(1)
    })

    it("refuses a callback with a bad signature and one for a supplier that does not exist", async () => {
      const base = api.defaults.baseURL as string
      const { supplierOrder } = await buyTopUp()
      const before = (await api.get(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}`, admin)).data.events.length
      const bad = await fake.sendCallback(`${base}/suppliers/callbacks/${supplierId}`, supplierOrder.id, { badSignature: true })
      expect(bad.status).toBe(400)
      expect(bad.body).toBe("fail")
      expect((await api.get(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}`, admin)).data.events).toHaveLength(before)
      const unknown = await fake.sendCallback(`${base}/suppliers/callbacks/sup_nope`, supplierOrder.id)
      expect(unknown.status).toBe(404)
    })

    it("an order without a final answer past the window goes to the admins, who decide with a reason (audited); a wrong decision is refused", async () => {
      fake.timeout({ times: 5, path: "*" })
      const { orderId, supplierOrder } = await buyTopUp(PHONE, (o) => o?.status === "submitting" && !!o.last_error)
      expect(supplierOrder.status).toBe("submitting")
      await dbConnection.raw(`UPDATE supplier_order SET submitted_at = now() - interval '2 hours' WHERE id = ?`, [supplierOrder.id])
      await runSupplierOrdersTick(getContainer() as any)
      const unknown = (await api.get(`/admin/virtual-goods/supplier-orders?status=unknown`, admin)).data
      expect(unknown.supplier_orders.map((o: any) => o.id)).toContain(supplierOrder.id)
      const findings = await dbConnection.raw(`SELECT kind FROM supplier_finding WHERE supplier_order_id = ?`, [supplierOrder.id])
      expect(findings.rows).toEqual([{ kind: "unknown_outcome" }])

      const noReason = await settle(api.post(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}/resolve`, { action: "refund", reason: "" }, admin))
      expect(noReason.status).toBe(400)
      const { data } = await api.post(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}/resolve`, { action: "mark_succeeded", reason: "confirmed on the supplier's portal" }, admin)
      expect(data.supplier_order).toEqual(expect.objectContaining({ status: "succeeded", resolution: "mark_succeeded: confirmed on the supplier's portal", resolved_by: expect.stringMatching(/^user_/) }))
      const again = await settle(api.post(`/admin/virtual-goods/supplier-orders/${supplierOrder.id}/resolve`, { action: "refund", reason: "changed my mind" }, admin))
      expect(again.status).toBe(400)
      expect(again.data.message).toContain("is succeeded: only a failed or unknown order can be refunded")
      expect((await refundsOf(orderId)).refunds).toEqual([])
      fake.clearFailures()
    })

    it("the price guard refuses to submit when the supplier's cost rose over the maximum, and the line is refunded", async () => {
      await dbConnection.raw(`UPDATE supplier_product SET unit_cost = 9.99, raw_unit_cost = '{"value":"9.99","precision":20}' WHERE supplier_id = ?`, [supplierId])
      const cart = await prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }])
      await api.post(`/store/virtual-goods/carts/${cart.id}/line-items/${cart.items[0].id}/recipient`, { recipient: { account: PHONE } }, { headers: storeHeaders(store) })
      const refused = await settle(completeCart(api, store, cart.id))
      expect(refused.status).toBe(400)
      expect(refused.data.message).toContain("is not available at this price now")
      const requests = fake.requestsTo("/api/recharge").length
      // The cost rises after the checkout: the submission itself refuses, and the line is refunded.
      await dbConnection.raw(`UPDATE supplier_product SET unit_cost = 9.9, raw_unit_cost = '{"value":"9.9","precision":20}' WHERE supplier_id = ?`, [supplierId])
      const cart2 = await prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }])
      await api.post(`/store/virtual-goods/carts/${cart2.id}/line-items/${cart2.items[0].id}/recipient`, { recipient: { account: PHONE } }, { headers: storeHeaders(store) })
      await dbConnection.raw(`CREATE OR REPLACE FUNCTION vg_test_raise_cost() RETURNS trigger AS $$ BEGIN UPDATE supplier_product SET unit_cost = 9.99 WHERE id = NEW.supplier_product_id; RETURN NEW; END $$ LANGUAGE plpgsql`)
      await dbConnection.raw(`CREATE TRIGGER vg_test_raise_cost AFTER INSERT ON supplier_order FOR EACH ROW EXECUTE FUNCTION vg_test_raise_cost()`)
      try {
        const { data } = await completeCart(api, store, cart2.id)
        const orderId = data.order.id
        const so = await waitFor(async () => {
          const { data: list } = await api.get(`/admin/virtual-goods/supplier-orders?order_id=${orderId}`, admin)
          return list.supplier_orders[0]?.refund_status === "refunded" ? list.supplier_orders[0] : null
        })
        expect(so).toEqual(expect.objectContaining({ status: "failed", attempts: 1, failure_reason: "price guard: the supplier's unit cost 9.99 is over the maximum 9.95" }))
        expect(fake.requestsTo("/api/recharge").length).toBe(requests)
        expect((await refundsOf(orderId)).refunds).toHaveLength(1)
      } finally {
        await dbConnection.raw(`DROP TRIGGER IF EXISTS vg_test_raise_cost ON supplier_order`)
        await dbConnection.raw(`UPDATE supplier_product SET unit_cost = 9.9 WHERE supplier_id = ?`, [supplierId])
      }
    })

    it("reconciles a supplier (对账): balance and order list against ours, differences as findings once each; the margin report", async () => {
      // One top-up credited and settled; one whose request the supplier never received (dropped before it credited).
      const { supplierOrder: ok } = await buyTopUp()
      await dbConnection.raw(`UPDATE supplier_order SET next_check_at = now() - interval '1 second' WHERE id = ?`, [ok.id])
      await runSupplierOrdersTick(getContainer() as any)
      // Every request dropped for now, so the job's own retries do not reach it either.
      fake.dropConnection("before_credit", { path: "*", times: 1000 })
      const { supplierOrder: lost } = await buyTopUp(PHONE, (o) => o?.status === "submitting" && !!o.last_error)
      fake.clearFailures()
      expect(lost.status).toBe("submitting")
      await dbConnection.raw(`UPDATE supplier_order SET submitted_at = now() - interval '20 minutes', next_check_at = now() + interval '1 hour' WHERE id = ?`, [lost.id])
      // An order on the supplier's side that is not ours, a cost we recorded differently, a balance under the threshold.
      const conn = { supplier_id: supplierId, base_url: fake.url, credentials: fake.credentials, config: GENERIC_HTTP_EXAMPLE_CONFIG as any, timeout_ms: 5000, allow_private_addresses: true, callback_url: null }
      const foreign = await genericHttpAdapter.submitOrder(conn, { order_no: "FOREIGN-1", product_id: "mobile-10", quantity: 1, recipient: { account: PHONE }, max_unit_cost: null })
      expect(foreign.state).not.toBe("failed")
      await dbConnection.raw(`UPDATE supplier_order SET cost = 9.8, raw_cost = '{"value":"9.8","precision":20}' WHERE id = ?`, [ok.id])
      await api.post(`/admin/virtual-goods/suppliers/${supplierId}`, { low_balance_threshold: "5000" }, admin)

      const { data } = await api.post(`/admin/virtual-goods/suppliers/${supplierId}/reconcile`, {}, admin)
      expect(data.reconciliation).toEqual(expect.objectContaining({ supplier_id: supplierId, balance: fake.balance().replace(/\.?0+$/, ""), compared: 1, error: null }))
      // The fake supplier keeps the orders of this file's earlier tests, which the database (restored before each test)
      // no longer has: those are listed as not ours too, like FOREIGN-1.
      const known = new Set((await dbConnection.raw(`SELECT id FROM supplier_order`)).rows.map((r: any) => r.id))
      const notOurs = fake.orders().filter((o) => !known.has(o.order_no)).length
      expect(notOurs).toBeGreaterThanOrEqual(1)
      const findings = data.reconciliation.findings.map((f: any) => [f.kind, f.supplier_order_id, f.created])
      expect(findings.filter((f: any) => f[0] !== "missing_local").sort()).toEqual(
        [
          ["cost_mismatch", ok.id, true],
          ["low_balance", null, true],
          ["missing_upstream", lost.id, true],
        ].sort()
      )
      expect(findings.filter((f: any) => f[0] === "missing_local")).toEqual(Array(notOurs).fill(["missing_local", null, true]))
      const again = (await api.post(`/admin/virtual-goods/suppliers/${supplierId}/reconcile`, {}, admin)).data.reconciliation
      expect(again.findings.every((f: any) => f.created === false)).toBe(true)

      const open = (await api.get(`/admin/virtual-goods/supplier-findings?status=open&supplier_id=${supplierId}&limit=200`, admin)).data
      expect(open.count).toBe(3 + notOurs)
      const local = open.supplier_findings.find((f: any) => f.kind === "missing_local" && f.detail.includes("FOREIGN-1"))
      expect(local.detail).toBe("Fake top-ups lists order FOREIGN-1 (succeeded, 9.9), which is not ours.")
      const resolved = await api.post(`/admin/virtual-goods/supplier-findings/${local.id}/resolve`, { resolution: "a test order placed by hand" }, admin)
      expect(resolved.data.supplier_finding).toEqual(expect.objectContaining({ status: "resolved", resolution: "a test order placed by hand", resolved_by: expect.stringMatching(/^user_/) }))
      expect((await settle(api.post(`/admin/virtual-goods/supplier-findings/${local.id}/resolve`, { resolution: "twice" }, admin))).status).toBe(404)

      const from = new Date(Date.now() - 3_600_000).toISOString()
      const to = new Date(Date.now() + 60_000).toISOString()
      const report = (await api.get(`/admin/virtual-goods/suppliers/report?from=${from}&to=${to}`, admin)).data
      expect(report.rows).toEqual([
        expect.objectContaining({ name: "Mobile top-up 10 CNY", kind: "topup", currency_code: "usd", orders: 2, succeeded: 1, failed: 0, refunded: 0, revenue: "10", cost: "9.8", margin: "0.2" }),
      ])
      expect((await settle(api.get(`/admin/virtual-goods/suppliers/report?from=${to}&to=${from}`, admin))).status).toBe(400)
    })

    it("a paid order whose top-up lines never got their supplier order (the event lost) is found by the job and submitted once", async () => {
      // The supplier is unreachable during the purchase, and the order's supplier order is then lost with its event.
      fake.dropConnection("before_credit", { path: "*", times: 1000 })
      const { orderId, supplierOrder } = await buyTopUp(PHONE, (o) => o?.status === "submitting" && !!o.last_error)
      fake.clearFailures()
      await dbConnection.raw(`DELETE FROM supplier_order_event WHERE supplier_order_id = ?`, [supplierOrder.id])
      await dbConnection.raw(`DELETE FROM supplier_order WHERE id = ?`, [supplierOrder.id])
      const credited = fake.totalCredited()

      const tick = await runSupplierOrdersTick(getContainer() as any, { pending_after_seconds: 0 })
      expect(tick.recovered).toBe(1)
      const { data } = await api.get(`/admin/virtual-goods/supplier-orders?order_id=${orderId}`, admin)
      expect(data.supplier_orders).toEqual([expect.objectContaining({ kind: "topup", status: expect.stringMatching(/^(accepted|succeeded)$/), attempts: 1, recipient_masked: "account: ********000" })])
      expect(fake.creditedCount(data.supplier_orders[0].id)).toBe(1)
      expect(fake.totalCredited()).toBe(credited + 1)
      // Found once: the next run recovers nothing.
      expect((await runSupplierOrdersTick(getContainer() as any, { pending_after_seconds: 0 })).recovered).toBe(0)
    })
  },
})
