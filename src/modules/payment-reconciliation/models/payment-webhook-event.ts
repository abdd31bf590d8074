import { model } from "@medusajs/framework/utils"

/**
 * A payment provider's webhook event, recorded once per event id after its signature was verified and before the
 * provider was answered: the durable inbox that processing and reconciliation work from. `summary` keeps what
 * processing needs (status, amounts in the smallest unit, ids, Radar's outcome) — never card data or secrets.
 */
export const PaymentWebhookEvent = model
  .define("payment_webhook_event", {
    id: model.id({ prefix: "pwev" }).primaryKey(),
    provider_id: model.text(),
    event_id: model.text(),
    type: model.text(),
    object_id: model.text(),
    payment_intent_id: model.text().nullable(),
    session_id: model.text().nullable(),
    status: model.enum(["received", "processed", "ignored", "failed"]).default("received"),
    attempts: model.number().default(0),
    last_error: model.text().nullable(),
    summary: model.json().nullable(),
    stripe_created_at: model.dateTime(),
    received_at: model.dateTime(),
    processed_at: model.dateTime().nullable(),
    /** When reconciliation confirmed that a succeeded payment ended as an order or a refund. */
    settled_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["event_id"], unique: true },
    { on: ["status", "received_at"] },
    { on: ["payment_intent_id"] },
  ])
