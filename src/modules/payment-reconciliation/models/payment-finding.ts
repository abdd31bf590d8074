import { model } from "@medusajs/framework/utils"

/**
 * What reconciliation found about a payment and what it did: a captured payment without an order, a refund it made
 * because the order could not be placed, a refund made in Stripe's dashboard, a dispute, a failed capture or payment,
 * a payment stuck pending. One row per `key` (kind + payment + dispute), so finding the same thing twice updates it.
 */
export const PaymentFinding = model
  .define("payment_finding", {
    id: model.id({ prefix: "pfnd" }).primaryKey(),
    key: model.text(),
    kind: model.enum([
      "captured_without_order",
      "refunded_automatically",
      "refunded_in_stripe",
      "dispute",
      "capture_failed",
      "payment_failed",
      "stuck_pending",
    ]),
    status: model.enum(["open", "resolved"]).default("open"),
    provider_id: model.text().nullable(),
    payment_intent_id: model.text().nullable(),
    dispute_id: model.text().nullable(),
    dispute_status: model.text().nullable(),
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    payment_id: model.text().nullable(),
    amount: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    detail: model.text(),
    resolution: model.text().nullable(),
    resolved_by: model.text().nullable(),
    resolved_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["key"], unique: true },
    { on: ["status", "kind", "created_at"] },
    { on: ["order_id"] },
  ])
