import type Stripe from "stripe"
import { fromSmallestUnit, smallestUnitFactor } from "../utils/amounts"
import { summarizeStripeEvent } from "../utils/event-summary"
import { resolvePaymentReconciliationOptions } from "../utils/options"

describe("payment reconciliation options", () => {
  it("fall back to the environment, then to defaults", () => {
    expect(resolvePaymentReconciliationOptions({}, {})).toEqual({
      api_key: null,
      webhook_secret: null,
      api_base_url: null,
      webhook_tolerance_seconds: 300,
      reconcile_after_seconds: 300,
      payment_hold_seconds: 3600,
      dispute_list: "block",
    })
    const env = { STRIPE_API_KEY: "sk_test_1", STRIPE_WEBHOOK_SECRET: "whsec_1", VIRTUAL_GOODS_PAYMENT_HOLD_SECONDS: "600", VIRTUAL_GOODS_DISPUTE_LIST: "review" }
    expect(resolvePaymentReconciliationOptions({ reconcile_after_seconds: 60 }, env)).toMatchObject({
      api_key: "sk_test_1",
      webhook_secret: "whsec_1",
      payment_hold_seconds: 600,
      reconcile_after_seconds: 60,
      dispute_list: "review",
    })
  })

  it("name the option a malformed value belongs to", () => {
    expect(() => resolvePaymentReconciliationOptions({ payment_hold_seconds: "soon" }, {})).toThrow(
      'payment_reconciliation option payment_hold_seconds must be a positive integer, got "soon"'
    )
    expect(() => resolvePaymentReconciliationOptions({}, { VIRTUAL_GOODS_DISPUTE_LIST: "ban" })).toThrow(
      'payment_reconciliation option dispute_list must be "block" or "review", got "ban"'
    )
  })
})

describe("Stripe amounts", () => {
  it("convert the smallest unit to an exact decimal string per currency", () => {
    expect(fromSmallestUnit(1999, "usd")).toBe("19.99")
    expect(fromSmallestUnit(10, "USD")).toBe("0.1")
    expect(fromSmallestUnit(1500, "jpy")).toBe("1500")
    expect(fromSmallestUnit(1234, "kwd")).toBe("1.234")
    // No float drift: 0.1 + 0.2 style amounts stay exact.
    expect(fromSmallestUnit(30, "cny")).toBe("0.3")
    expect(fromSmallestUnit(900719925474099, "usd")).toBe("9007199254740.99")
    expect([smallestUnitFactor("usd"), smallestUnitFactor("krw"), smallestUnitFactor("bhd")]).toEqual([100, 1, 1000])
  })
})

describe("Stripe event summaries", () => {
  const event = (type: string, object: Record<string, unknown>) =>
    ({ id: "evt_1", object: "event", type, created: 1_790_000_000, data: { object } }) as unknown as Stripe.Event

  it("keep ids, statuses, amounts and Radar's outcome of a payment intent, not the shopper's details", () => {
    const summary = summarizeStripeEvent(
      event("payment_intent.succeeded", {
        object: "payment_intent",
        id: "pi_1",
        status: "succeeded",
        amount: 3000,
        amount_received: 3000,
        currency: "usd",
        metadata: { session_id: "payses_1" },
        latest_charge: {
          id: "ch_1",
          outcome: { risk_level: "elevated", risk_score: 64 },
          payment_method_details: { card: { fingerprint: "fp_1" } },
          billing_details: { name: "A Shopper", email: "a@b.c" },
        },
      })
    )
    expect(summary).toEqual({
      event_id: "evt_1",
      type: "payment_intent.succeeded",
      object_id: "pi_1",
      payment_intent_id: "pi_1",
      session_id: "payses_1",
      stripe_created_at: new Date(1_790_000_000_000),
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
        risk_level: "elevated",
        risk_score: 64,
        card_fingerprint: "fp_1",
        failure_message: null,
      },
    })
    expect(JSON.stringify(summary)).not.toContain("A Shopper")
  })

  it("tie charges and disputes to their payment intent", () => {
    const refunded = summarizeStripeEvent(
      event("charge.refunded", { object: "charge", id: "ch_1", payment_intent: "pi_1", amount: 3000, amount_refunded: 1000, refunded: false, currency: "usd", status: "succeeded", metadata: {} })
    )
    expect(refunded).toMatchObject({ object_id: "ch_1", payment_intent_id: "pi_1", session_id: null, summary: { amount_refunded: 1000, refunded: false } })
    const dispute = summarizeStripeEvent(
      event("charge.dispute.created", { object: "dispute", id: "dp_1", charge: "ch_1", payment_intent: "pi_1", amount: 3000, currency: "usd", status: "needs_response", reason: "fraudulent" })
    )
    expect(dispute).toMatchObject({ object_id: "dp_1", payment_intent_id: "pi_1", summary: { dispute_status: "needs_response", dispute_reason: "fraudulent", charge_id: "ch_1" } })
    expect(summarizeStripeEvent(event("customer.created", { object: "customer", id: "cus_1" }))).toMatchObject({ object_id: "cus_1", payment_intent_id: null })
  })
})
