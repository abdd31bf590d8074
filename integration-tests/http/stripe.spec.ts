import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { updateRegionsWorkflow } from "@medusajs/medusa/core-flows"
import { assertVaultInvariants, poolCounts, storeHeaders, waitFor, waitForDelivery } from "../helpers"
import { liftedRateLimits } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"
import { useStripe } from "../helpers/stripe"
import type { StripeEvent } from "../helpers/stripe-emulator"
import { sweepVirtualGoods } from "../../src/jobs/virtual-goods-sweep"
import { reconcilePayments } from "../../src/workflows/payments/utils/reconcile-payments"
import { runOrderDelivery } from "../../src/workflows/virtual-goods/utils/run-order-delivery"

jest.setTimeout(180_000)

const WEBHOOK_SECRET = "whsec_test_virtual_goods"
const { stripe } = useStripe({
  apiKey: "sk_test_virtual_goods",
  webhookSecret: WEBHOOK_SECRET,
  env: { VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("payment_hold", "reveal", "order_lookup") },
})

const CARD = "pp_stripe_stripe"
const ALIPAY = "pp_stripe-alipay_stripe"
const WECHAT = "pp_stripe-wechat-pay_stripe"

/**
 * Real money through Medusa's own Stripe provider and the real Stripe SDK, against a Stripe emulator on loopback:
 * webhooks verified before anything is recorded, asynchronous payments that succeed after the shopper left, refunds
 * and disputes made in Stripe, and the reconciliation that leaves every succeeded payment as an order or a refund.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const CODES = 8
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: CODES, eachTest: true })

    beforeEach(async () => {
      stripe.reset()
      await updateRegionsWorkflow(getContainer()).run({
        input: { selector: { id: store.region_id }, update: { payment_providers: ["pp_system_default", CARD, ALIPAY, WECHAT] } },
      })
    })

    const headers = () => ({ headers: storeHeaders(store) })
    const variant = () => store.products[0]
    const webhookUrl = (provider: string) => `${api.defaults.baseURL}/hooks/payment/${provider.replace(/^pp_/, "")}`
    const deliver = (provider: string, event: StripeEvent, opts: { timestamp?: number; tamper?: boolean } = {}) =>
      stripe.deliver(webhookUrl(provider), event, WEBHOOK_SECRET, opts)
    const inbox = () => dbConnection.raw(`SELECT event_id, type, status FROM payment_webhook_event ORDER BY received_at`).then((r: any) => r.rows)
    const orderOfCart = async (cartId: string): Promise<string | null> => {
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      return (data[0] as { order_id: string } | undefined)?.order_id ?? null
    }
    const notifications = (template: string) => getContainer().resolve(Modules.NOTIFICATION).listNotifications({ template })

    /** A cart of `quantity` codes with a Stripe payment session; returns the cart and its payment intent id. */
    async function stripeCart(provider: string, quantity = 1, email = "payer@example.com") {
      const { data } = await api.post(
        "/store/carts",
        { region_id: store.region_id, email, items: [{ variant_id: variant().variant_id, quantity }] },
        headers()
      )
      const cart = data.cart
      const pc = await api.post("/store/payment-collections", { cart_id: cart.id }, headers())
      const session = await api.post(`/store/payment-collections/${pc.data.payment_collection.id}/payment-sessions`, { provider_id: provider }, headers())
      const ps = session.data.payment_collection.payment_sessions.find((s: any) => s.provider_id === provider)
      return { cart_id: cart.id as string, pi: ps.data.id as string, session_id: ps.id as string }
    }

    describe("webhooks are verified before anything is recorded or queued", () => {
      it("bad, stale and tampered signatures are a 400 and store nothing; a duplicate is answered once and recorded once", async () => {
        const { pi } = await stripeCart(CARD)
        const [capturable] = stripe.pay(pi, { method: "card" })
        expect(capturable.type).toBe("payment_intent.amount_capturable_updated")

        const wrongSecret = await stripe.deliver(webhookUrl(CARD), capturable, "whsec_someone_else")
        expect(wrongSecret.status).toBe(400)
        expect(wrongSecret.body).toEqual({ type: "invalid_data", message: "Stripe webhook: the signature does not match the payload" })
        const stale = await deliver(CARD, capturable, { timestamp: Math.floor(Date.now() / 1000) - 600 })
        expect(stale.status).toBe(400)
        expect(stale.body.message).toBe("Stripe webhook: the signature's timestamp is outside the tolerance")
        const tampered = await deliver(CARD, capturable, { tamper: true })
        expect(tampered.status).toBe(400)
        const unsigned = await api.post(`/hooks/payment/stripe_stripe`, capturable).catch((e: any) => e.response)
        expect(unsigned.status).toBe(400)
        expect(unsigned.data.message).toBe("Stripe webhook: missing Stripe-Signature header")
        expect(await inbox()).toEqual([])

        const first = await deliver(CARD, capturable)
        expect(first.status).toBe(200)
        const again = await deliver(CARD, capturable)
        expect(again.status).toBe(200)
        expect(again.body).toEqual({ received: true, duplicate: true })
        expect(await inbox()).toEqual([{ event_id: capturable.id, type: "payment_intent.amount_capturable_updated", status: expect.any(String) }])
      })
    })

    describe("cards", () => {
      it("an authorized card is captured at placement and only then are the codes delivered; Radar's outcome is a risk fact", async () => {
        const { cart_id, pi } = await stripeCart(CARD, 2)
        stripe.pay(pi, { method: "card", risk: { risk_level: "elevated", risk_score: 71 }, fingerprint: "fp_card_1" })
        const { data } = await api.post(`/store/carts/${cart_id}/complete`, {}, headers())
        expect(data.type).toBe("order")
        const orderId = data.order.id
        await waitForDelivery(api, getContainer(), admin, orderId, 2)
        expect(stripe.paymentIntent(pi)?.status).toBe("succeeded")
        expect(stripe.callsTo(`/v1/payment_intents/${pi}/capture`, "POST").filter((c) => c.status === 200)).toHaveLength(1)
        const { rows } = await dbConnection.raw(`SELECT facts FROM risk_decision WHERE subject_id = ?`, [cart_id])
        expect(rows[0].facts).toMatchObject({ radar_risk_level: "elevated", radar_risk_score: 71, card_fingerprint: "fp_card_1" })
        await assertVaultInvariants(dbConnection, variant().pool_id, CODES)
      })

      it("a capture that fails delivers nothing: the order is held with the reason and its codes stay reserved", async () => {
        const { cart_id, pi } = await stripeCart(CARD)
        stripe.pay(pi, { method: "card" })
        stripe.failNextCapture(pi, "card_declined")
        const { data } = await api.post(`/store/carts/${cart_id}/complete`, {}, headers())
        const orderId = data.order.id
        const held = await waitFor(async () => {
          const r = await api.get(`/admin/virtual-goods/orders/${orderId}/codes`, admin)
          return r.data.delivery?.status === "held" ? r.data : null
        })
        expect(held.delivery.last_error).toMatch(/^Capture failed for payment pay_\w+: An error occurred in capturePayment/)
        expect(held.card_codes.filter((c: any) => c.status === "delivered")).toHaveLength(0)
        const counts = await poolCounts(dbConnection, variant().pool_id)
        expect(counts).toMatchObject({ reserved: 1, delivered: 0 })
        expect(stripe.paymentIntent(pi)?.status).toBe("requires_capture")
        const finding = await waitFor(async () => {
          const { data } = await api.get(`/admin/virtual-goods/payments/findings?kind=capture_failed`, admin)
          return data.count ? data.findings : null
        })
        expect(finding).toEqual([expect.objectContaining({ status: "open", order_id: orderId, payment_intent_id: pi, amount: "15", currency_code: "usd" })])
        expect((await notifications("virtual-goods.payment-alert")).map((n: any) => n.data.title)).toEqual(["Payment capture failed"])
      })
    })

    /** A card order paid with automatic capture on the webhook's side: placed, captured and delivered. */
    async function deliveredCardOrder(quantity: number, email = "payer@example.com") {
      const { cart_id, pi } = await stripeCart(CARD, quantity, email)
      stripe.pay(pi, { method: "card", fingerprint: "fp_disputed_card" })
      const { data } = await api.post(`/store/carts/${cart_id}/complete`, {}, headers())
      const orderId: string = data.order.id
      const codes = await waitForDelivery(api, getContainer(), admin, orderId, quantity)
      return { cart_id, pi, order_id: orderId, code_ids: codes.card_codes.map((c: any) => c.id as string) }
    }
    const revealAsAdmin = (codeId: string) =>
      api.post(`/admin/virtual-goods/codes/${codeId}/reveal`, { reason: "customer support" }, admin).catch((e: any) => e.response)
    const codeStatuses = async (orderId: string) =>
      (await api.get(`/admin/virtual-goods/orders/${orderId}/codes`, admin)).data.card_codes.map((c: any) => [c.id, c.status])

    describe("refunds and disputes made in Stripe", () => {
      it("a refund from Stripe's dashboard follows the refund path: unrevealed codes back to stock, revealed ones voided", async () => {
        const { pi, order_id, code_ids } = await deliveredCardOrder(2)
        expect((await revealAsAdmin(code_ids[0])).status).toBe(200)
        const before = await poolCounts(dbConnection, variant().pool_id)
        const events = stripe.refundFromDashboard(pi)
        expect(events.map((e) => e.type)).toEqual(["charge.refunded", "refund.created"])
        for (const event of events) expect((await deliver(CARD, event)).status).toBe(200)
        await waitFor(async () => ((await poolCounts(dbConnection, variant().pool_id)).available === before.available + 1 ? true : null))
        expect(Object.fromEntries(await codeStatuses(order_id))).toEqual({ [code_ids[0]]: "voided" })
        // A late `payment.captured` (Medusa still records the payment as captured: the refund was made in Stripe) must
        // not deliver the order again.
        const late = await runOrderDelivery(getContainer(), order_id, { skip_if_delivered: true })
        expect(late?.status).toBe("not_deliverable")
        expect(await poolCounts(dbConnection, variant().pool_id)).toMatchObject({ available: before.available + 1, voided: before.voided + 1, delivered: 0, revealed: 0 })
        const { data } = await api.get(`/admin/virtual-goods/payments/findings?kind=refunded_in_stripe`, admin)
        expect(data.findings).toEqual([
          expect.objectContaining({ status: "resolved", order_id, payment_intent_id: pi, resolution: "codes returned: 1 to stock, 1 voided, 0 released" }),
        ])
        expect(data.findings[0].amount).toBe("30")
        expect(data.findings[0]).not.toHaveProperty("raw_amount")
        // The same event again (Stripe retries) changes nothing.
        expect((await deliver(CARD, events[0])).body).toEqual({ received: true, duplicate: true })
        await assertVaultInvariants(dbConnection, variant().pool_id, CODES)
      })

      it("a dispute freezes the order's codes and lists the payer; won, the codes come back", async () => {
        const { pi, order_id, code_ids } = await deliveredCardOrder(2, "Disputer@Example.com")
        expect((await revealAsAdmin(code_ids[0])).status).toBe(200)
        const [opened] = stripe.openDispute(pi, { reason: "fraudulent" })
        expect((await deliver(CARD, opened)).status).toBe(200)
        const finding = await waitFor(async () => {
          const { data } = await api.get(`/admin/virtual-goods/payments/findings?kind=dispute`, admin)
          return data.count ? data.findings[0] : null
        })
        expect(finding).toMatchObject({ status: "open", order_id, dispute_status: "needs_response", payment_intent_id: pi })
        expect(Object.fromEntries(await codeStatuses(order_id))).toEqual({ [code_ids[0]]: "revealed", [code_ids[1]]: "voided" })
        const refused = await revealAsAdmin(code_ids[0])
        expect(refused.status).toBe(400)
        expect(refused.data.message).toBe("These codes are frozen while a payment dispute is open.")
        const { rows: lists } = await dbConnection.raw(`SELECT key, list_type, "values" FROM risk_rule WHERE is_system = true ORDER BY key`)
        expect(lists).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ key: "email", list_type: "block", values: ["disputer@example.com"] }),
            expect.objectContaining({ key: "card_fingerprint", list_type: "block", values: ["fp_disputed_card"] }),
          ])
        )
        const alerts = await notifications("virtual-goods.payment-alert")
        expect(alerts.map((n: any) => n.data.title)).toEqual([expect.stringMatching(/^Payment disputed: /)])
        const { data: audit } = await api.get(`/admin/virtual-goods/audit-logs?order_id=${order_id}&action=dispute_opened`, admin)
        expect(audit.card_audit_logs).toHaveLength(1)

        const [closed] = stripe.closeDispute(finding.dispute_id, "won")
        expect((await deliver(CARD, closed)).status).toBe(200)
        await waitFor(async () => {
          const { data } = await api.get(`/admin/virtual-goods/payments/findings?kind=dispute`, admin)
          return data.findings[0].status === "resolved" ? true : null
        })
        expect((await revealAsAdmin(code_ids[0])).status).toBe(200)
        const after = await codeStatuses(order_id)
        // The voided code is replaced by a fresh one on the same order.
        expect(after.filter(([, s]: [string, string]) => s === "delivered" || s === "revealed")).toHaveLength(2)
        await assertVaultInvariants(dbConnection, variant().pool_id, CODES)
      })
    })

    describe("reconciliation", () => {
      it("the storefront's completion and the webhook at the same time give one order and no refund", async () => {
        for (let round = 0; round < 3; round++) {
          const { cart_id, pi } = await stripeCart(ALIPAY)
          await api.post(`/store/virtual-goods/carts/${cart_id}/payment-hold`, {}, headers())
          stripe.pay(pi, { method: "alipay" })
          const [succeeded] = stripe.completeAction(pi, { outcome: "succeeded" })
          const [completion] = await Promise.all([
            api.post(`/store/carts/${cart_id}/complete`, {}, headers()).catch((e: any) => e.response),
            deliver(ALIPAY, succeeded),
          ])
          expect(completion.status).toBe(200)
          const orderId = await waitFor(() => orderOfCart(cart_id))
          await waitForDelivery(api, getContainer(), admin, orderId, 1)
          await new Promise((r) => setTimeout(r, 1000))
          expect(stripe.refundsOf(pi)).toEqual([])
          const { rows } = await dbConnection.raw(`SELECT count(*)::int AS n FROM order_cart WHERE cart_id = ?`, [cart_id])
          expect(rows[0].n).toBe(1)
        }
        await assertVaultInvariants(dbConnection, variant().pool_id, CODES)
      })

      it("a payment captured whose process died before the order is finished by the job: one order, codes delivered", async () => {
        // What a process killed between Medusa's capture and its cart completion leaves: a captured payment, no order.
        const { cart_id, pi, session_id } = await stripeCart(ALIPAY)
        await api.post(`/store/virtual-goods/carts/${cart_id}/payment-hold`, {}, headers())
        stripe.pay(pi, { method: "alipay" })
        const [succeeded] = stripe.completeAction(pi, { outcome: "succeeded" })
        const payment = getContainer().resolve(Modules.PAYMENT)
        const authorized = await payment.authorizePaymentSession(session_id, {})
        expect(authorized.captured_at).toBeTruthy()
        // The webhook was recorded, but its processing never ran (the process died with it).
        await dbConnection.raw(
          `INSERT INTO payment_webhook_event (id, provider_id, event_id, type, object_id, payment_intent_id, session_id, status, attempts, summary, stripe_created_at, received_at, processed_at)
           VALUES ('pwev_crash', 'stripe-alipay_stripe', ?, 'payment_intent.succeeded', ?, ?, ?, 'processed', 1, '{}'::jsonb, now(), now() - interval '10 minutes', now())`,
          [succeeded.id, pi, pi, session_id]
        )
        expect(await orderOfCart(cart_id)).toBeNull()
        const result = await reconcilePayments(getContainer())
        expect(result).toMatchObject({ completed: 1, refunded: 0 })
        const orderId = await waitFor(() => orderOfCart(cart_id))
        await waitForDelivery(api, getContainer(), admin, orderId, 1)
        const { data } = await api.get(`/admin/virtual-goods/payments/findings?kind=captured_without_order`, admin)
        expect(data.findings).toEqual([expect.objectContaining({ status: "resolved", order_id: orderId, resolution: "order placed by reconciliation" })])
        expect((await reconcilePayments(getContainer())).completed).toBe(0)
        expect(stripe.refundsOf(pi)).toEqual([])
      })

      it("a failure that arrives after the payment's success (events out of order) changes nothing", async () => {
        const { cart_id, pi } = await stripeCart(ALIPAY, 1, "retry@example.com")
        await api.post(`/store/virtual-goods/carts/${cart_id}/payment-hold`, {}, headers())
        const failedFirst = stripe.pay(pi, { method: "alipay", outcome: "failed" })
        stripe.pay(pi, { method: "alipay" })
        const succeeded = stripe.completeAction(pi, { outcome: "succeeded" })
        for (const event of succeeded) expect((await deliver(ALIPAY, event)).status).toBe(200)
        const orderId = await waitFor(() => orderOfCart(cart_id))
        await waitForDelivery(api, getContainer(), admin, orderId, 1)
        // The failure of the first attempt arrives last: recorded, but it releases nothing and mails nobody.
        expect((await deliver(ALIPAY, failedFirst[0])).status).toBe(200)
        await waitFor(async () => ((await inbox()).find((e: any) => e.event_id === failedFirst[0].id)?.status === "ignored" ? true : null))
        expect(await notifications("virtual-goods.payment-failed")).toEqual([])
        expect(Object.values(Object.fromEntries(await codeStatuses(orderId)))).toEqual(["delivered"])
      })

      it("a card checkout refused at completion (risk control) has its authorization released and the shopper told", async () => {
        await api.post(
          "/admin/virtual-goods/risk/rules",
          { name: "Known fraudster", kind: "list", key: "email", list_type: "block", values: ["blocked@example.com"], action: "block" },
          admin
        )
        const { cart_id, pi } = await stripeCart(CARD, 1, "blocked@example.com")
        const [capturable] = stripe.pay(pi, { method: "card" })
        const refused = await api.post(`/store/carts/${cart_id}/complete`, {}, headers()).catch((e: any) => e.response)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toBe("This order was refused by risk control. Contact the store if you think this is a mistake.")
        expect(stripe.paymentIntent(pi)?.status).toBe("requires_capture")
        expect((await deliver(CARD, capturable)).status).toBe(200)
        await new Promise((r) => setTimeout(r, 1500))
        const result = await reconcilePayments(getContainer())
        expect(result).toMatchObject({ released: 1, refunded: 0, completed: 0 })
        expect(stripe.paymentIntent(pi)?.status).toBe("canceled")
        expect(stripe.refundsOf(pi)).toEqual([])
        expect(await orderOfCart(cart_id)).toBeNull()
        expect((await poolCounts(dbConnection, variant().pool_id)).reserved).toBe(0)
        const mails = await notifications("virtual-goods.payment-failed")
        expect(mails).toEqual([expect.objectContaining({ to: "blocked@example.com", data: expect.objectContaining({ cart_id, reason: "refused" }) })])
        expect((await reconcilePayments(getContainer())).released).toBe(0)
      })

      it("an event whose processing was lost (recorded, never announced) is processed by the job", async () => {
        const { cart_id, pi, session_id } = await stripeCart(ALIPAY, 1, "lost@example.com")
        await api.post(`/store/virtual-goods/carts/${cart_id}/payment-hold`, {}, headers())
        stripe.pay(pi, { method: "alipay" })
        const [failed] = stripe.completeAction(pi, { outcome: "failed" })
        await dbConnection.raw(
          `INSERT INTO payment_webhook_event (id, provider_id, event_id, type, object_id, payment_intent_id, session_id, status, attempts, summary, stripe_created_at, received_at)
           VALUES ('pwev_lost', 'stripe-alipay_stripe', ?, 'payment_intent.payment_failed', ?, ?, ?, 'received', 0, '{}'::jsonb, now(), now() - interval '2 minutes')`,
          [failed.id, pi, pi, session_id]
        )
        expect((await poolCounts(dbConnection, variant().pool_id)).reserved).toBe(1)
        const result = await reconcilePayments(getContainer())
        expect(result.events).toBe(1)
        expect((await poolCounts(dbConnection, variant().pool_id)).reserved).toBe(0)
        expect((await inbox()).map((e: any) => e.status)).toEqual(["processed"])
        expect((await notifications("virtual-goods.payment-failed")).map((n: any) => n.to)).toEqual(["lost@example.com"])
        // Delivered now by Stripe as well: a duplicate, answered and not processed again.
        expect((await deliver(ALIPAY, failed)).body).toEqual({ received: true, duplicate: true })
      })
    })

    describe("asynchronous payments (Alipay)", () => {
      it("a payment that succeeds after the shopper left still ends in a placed order and delivered codes; the hold kept the codes meanwhile", async () => {
        const { cart_id, pi } = await stripeCart(ALIPAY)
        const hold = await api.post(`/store/virtual-goods/carts/${cart_id}/payment-hold`, {}, headers())
        expect(hold.status).toBe(200)
        expect(hold.data.hold).toEqual({ cart_id, expires_at: expect.any(String), reserved: 1 })
        expect(new Date(hold.data.hold.expires_at).getTime()).toBeGreaterThan(Date.now() + 3500_000)
        const [action] = stripe.pay(pi, { method: "alipay" })
        expect(action.type).toBe("payment_intent.requires_action")
        // The shopper is sent to Alipay and closes the tab. The reservation outlives the vault's TTL: the sweep spares it.
        await dbConnection.raw(`UPDATE card_code SET reserved_at = now() - interval '2 hours' WHERE cart_id = ?`, [cart_id])
        await sweepVirtualGoods(getContainer())
        expect(await poolCounts(dbConnection, variant().pool_id)).toMatchObject({ reserved: 1 })

        const events = stripe.completeAction(pi, { outcome: "succeeded" })
        for (const event of events) expect((await deliver(ALIPAY, event)).status).toBe(200)
        const orderId = await waitFor(() => orderOfCart(cart_id))
        await waitForDelivery(api, getContainer(), admin, orderId, 1)
        // Reconciliation closes the hold of a cart that became an order (within a minute; here at once).
        await reconcilePayments(getContainer())
        const { rows } = await dbConnection.raw(`SELECT status FROM payment_hold WHERE cart_id = ?`, [cart_id])
        expect(rows).toEqual([{ status: "completed" }])
        expect(stripe.refundsOf(pi)).toEqual([])
        await assertVaultInvariants(dbConnection, variant().pool_id, CODES)
      })

      it("WeChat Pay through the one webhook endpoint: the QR code paid after the shopper left ends delivered", async () => {
        const { cart_id, pi } = await stripeCart(WECHAT)
        expect(stripe.paymentIntent(pi)?.payment_method_types).toEqual(["wechat_pay"])
        await api.post(`/store/virtual-goods/carts/${cart_id}/payment-hold`, {}, headers())
        const [action] = stripe.pay(pi, { method: "wechat_pay" })
        expect(action.type).toBe("payment_intent.requires_action")
        // The only endpoint the docs ask merchants to register is the card provider's: it serves every method.
        for (const event of stripe.completeAction(pi, { outcome: "succeeded" })) expect((await deliver(CARD, event)).status).toBe(200)
        const orderId = await waitFor(() => orderOfCart(cart_id))
        await waitForDelivery(api, getContainer(), admin, orderId, 1)
        expect(stripe.refundsOf(pi)).toEqual([])
      })

      it("a failed payment releases the held codes and tells the shopper; nothing is charged", async () => {
        const { cart_id, pi } = await stripeCart(ALIPAY, 1, "failed@example.com")
        await api.post(`/store/virtual-goods/carts/${cart_id}/payment-hold`, {}, headers())
        stripe.pay(pi, { method: "alipay" })
        const events = stripe.completeAction(pi, { outcome: "failed" })
        for (const event of events) expect((await deliver(ALIPAY, event)).status).toBe(200)
        await waitFor(async () => ((await poolCounts(dbConnection, variant().pool_id)).reserved === 0 ? true : null))
        const mails = await waitFor(async () => {
          const sent = await notifications("virtual-goods.payment-failed")
          return sent.length ? sent : null
        })
        expect(mails).toHaveLength(1)
        expect(mails[0]).toMatchObject({ to: "failed@example.com", data: { cart_id, reason: "failed" } })
        expect(await orderOfCart(cart_id)).toBeNull()
        const finding = (await api.get(`/admin/virtual-goods/payments/findings?kind=payment_failed`, admin)).data
        expect(finding.count).toBe(1)
        expect(finding.findings[0]).toMatchObject({ status: "resolved", cart_id, payment_intent_id: pi })
      })

      it("a payment whose stock ran out meanwhile is refunded once, and the shopper is told", async () => {
        // Without a hold, the codes are sold to someone else while this shopper pays.
        const { cart_id, pi } = await stripeCart(ALIPAY, 1, "late@example.com")
        stripe.pay(pi, { method: "alipay" })
        await dbConnection.raw(`UPDATE card_code SET status = 'voided' WHERE pool_id = ? AND status = 'available'`, [variant().pool_id])
        const events = stripe.completeAction(pi, { outcome: "succeeded" })
        for (const event of events) expect((await deliver(ALIPAY, event)).status).toBe(200)
        await waitFor(async () => ((await inbox()).every((e: any) => e.status !== "received") ? true : null))
        // Medusa's completion fails (out of stock) and its compensation refunds; reconciliation records and tells.
        await waitFor(async () => (stripe.refundsOf(pi).length ? true : null))
        await new Promise((r) => setTimeout(r, 1500))
        const result = await reconcilePayments(getContainer())
        expect(result.refunded).toBe(1)
        expect(stripe.refundsOf(pi)).toHaveLength(1)
        expect(await orderOfCart(cart_id)).toBeNull()
        const mails = await notifications("virtual-goods.payment-refunded")
        expect(mails.map((m: any) => m.to)).toEqual(["late@example.com"])
        const again = await reconcilePayments(getContainer())
        expect(again.refunded).toBe(0)
        expect(stripe.refundsOf(pi)).toHaveLength(1)
      })
    })
  },
})
