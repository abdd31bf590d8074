import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_RECONCILIATION_MODULE } from ".."
import PaymentReconciliationModuleService from "../service"
import type { SummarizedPaymentEvent } from "../service"

jest.setTimeout(120_000)

type SqlRow = Record<string, unknown>

const event = (id: string, overrides: Partial<SummarizedPaymentEvent> = {}): SummarizedPaymentEvent => ({
  event_id: id,
  type: "payment_intent.succeeded",
  object_id: "pi_1",
  payment_intent_id: "pi_1",
  session_id: "payses_1",
  stripe_created_at: new Date("2026-11-30T10:00:00Z"),
  summary: {
    status: "succeeded",
    currency: "usd",
    amount: 3000,
    amount_received: 3000,
    amount_refunded: null,
    refunded: null,
    charge_id: "ch_1",
    dispute_status: null,
    dispute_reason: null,
    risk_level: "normal",
    risk_score: 12,
    card_fingerprint: null,
    failure_message: null,
  },
  ...overrides,
})

/**
 * The module's SQL under concurrency: an event recorded once however many deliveries race, a finding kept once per
 * key, a hold per cart renewed in place.
 */
moduleIntegrationTestRunner<PaymentReconciliationModuleService>({
  moduleName: PAYMENT_RECONCILIATION_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  moduleOptions: { reconcile_after_seconds: 1 },
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = (q: string, p: unknown[] = []) => MikroOrmWrapper.getManager().getConnection().execute(q, p) as Promise<SqlRow[]>

    it("records an event once when twenty deliveries of it race; the others are duplicates", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => service.recordEvent({ ...event("evt_race"), provider_id: "stripe_stripe" })))
      expect(results.filter((r) => r.created)).toHaveLength(1)
      expect(new Set(results.map((r) => r.id)).size).toBe(1)
      expect(await sql(`select count(*)::int as n from payment_webhook_event where event_id = 'evt_race'`)).toEqual([{ n: 1 }])
    })

    it("lists events still to process (received, or failed under the attempt limit) oldest first, and settles a payment's events", async () => {
      const a = await service.recordEvent({ ...event("evt_a", { stripe_created_at: new Date("2026-11-30T10:00:02Z") }), provider_id: "stripe_stripe" })
      const b = await service.recordEvent({ ...event("evt_b", { stripe_created_at: new Date("2026-11-30T10:00:01Z") }), provider_id: "stripe_stripe" })
      const c = await service.recordEvent({ ...event("evt_c"), provider_id: "stripe_stripe" })
      await sql(`update payment_webhook_event set received_at = now() - interval '1 minute'`)
      await service.markEvent({ id: c.id, status: "failed", error: "x".repeat(5000) })
      expect(await service.listEventsToProcess({ older_than_seconds: 30, max_attempts: 1, limit: 10 })).toEqual([b.id, a.id])
      expect(await service.listEventsToProcess({ older_than_seconds: 30, max_attempts: 2, limit: 10 })).toEqual([c.id, b.id, a.id])
      expect(await service.listEventsToProcess({ older_than_seconds: 120, max_attempts: 2, limit: 10 })).toEqual([])
      const [failed] = await sql(`select status, attempts, length(last_error)::int as len from payment_webhook_event where id = ?`, [c.id])
      expect(failed).toEqual({ status: "failed", attempts: 1, len: 1000 })

      expect((await service.listUnsettledPayments({ older_than_seconds: 30, limit: 10 })).map((p) => p.id).sort()).toEqual([a.id, b.id, c.id].sort())
      expect(await service.settlePayment("pi_1")).toBe(3)
      expect(await service.listUnsettledPayments({ older_than_seconds: 30, limit: 10 })).toEqual([])
      expect(await service.sessionOfPaymentIntent("pi_1")).toBe("payses_1")
      expect(await service.sessionOfPaymentIntent("pi_unknown")).toBeNull()
    })

    it("keeps one finding per key, updated in place, with the amount exact; an admin resolves it with a note", async () => {
      const input = { kind: "dispute" as const, payment_intent_id: "pi_1", dispute_id: "dp_1", order_id: "order_1", amount: "19.99", currency_code: "usd", detail: "opened" }
      const [first, second] = await Promise.all([service.recordFinding(input), service.recordFinding({ ...input, detail: "opened again" })])
      expect([first.created, second.created].sort()).toEqual([false, true])
      expect(first.id).toBe(second.id)
      await service.recordFinding({ ...input, status: "resolved", dispute_status: "won", detail: "won", resolution: "restored" })
      const [row] = await sql(`select status, dispute_status, amount::text as amount, raw_amount->>'value' as raw, detail, resolution, resolved_at is not null as resolved from payment_finding`)
      expect(row).toEqual({ status: "resolved", dispute_status: "won", amount: "19.99", raw: "19.99", detail: "won", resolution: "restored", resolved: true })
      await expect(service.resolveFinding({ id: first.id, note: " ", resolved_by: "user_1" })).rejects.toThrow("note: say how the finding was resolved")
      await expect(service.resolveFinding({ id: "pfnd_missing", note: "checked", resolved_by: "user_1" })).rejects.toThrow("Payment finding pfnd_missing was not found")
    })

    it("holds a cart once, renews it in place, spares only unexpired holds, and closes it", async () => {
      const first = await service.holdCart({ cart_id: "cart_1", payment_session_id: "payses_1", provider_id: "pp_stripe_stripe", seconds: 60 })
      const renewed = await service.holdCart({ cart_id: "cart_1", payment_session_id: "payses_2", provider_id: "pp_stripe_stripe", seconds: 3600 })
      expect(renewed.expires_at.getTime()).toBeGreaterThan(first.expires_at.getTime())
      await service.holdCart({ cart_id: "cart_2", payment_session_id: null, provider_id: null, seconds: 60 })
      await sql(`update payment_hold set expires_at = now() - interval '1 second' where cart_id = 'cart_2'`)
      expect(await service.heldCartIds(["cart_1", "cart_2", "cart_3"])).toEqual(["cart_1"])
      expect((await service.listActiveHolds({ expired: true, limit: 10 })).map((h) => h.cart_id)).toEqual(["cart_2"])
      expect(await service.closeHold({ cart_id: "cart_1", status: "completed", reason: "order placed" })).toBe(true)
      expect(await service.closeHold({ cart_id: "cart_1", status: "released", reason: "again" })).toBe(false)
      expect(await sql(`select cart_id, payment_session_id, status, closed_reason from payment_hold order by cart_id`)).toEqual([
        { cart_id: "cart_1", payment_session_id: "payses_2", status: "completed", closed_reason: "order placed" },
        { cart_id: "cart_2", payment_session_id: null, status: "active", closed_reason: null },
      ])
    })
  },
})
