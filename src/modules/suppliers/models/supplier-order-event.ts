import { model } from "@medusajs/framework/utils"

/**
 * What happened to a supplier order, one row per exchange or decision: a submission, a query, a callback, an admin's
 * action, a refund. The supplier's answer is kept sanitized (no codes, credentials or recipient) and short.
 */
export const SupplierOrderEvent = model
  .define("supplier_order_event", {
    id: model.id({ prefix: "supoev" }).primaryKey(),
    supplier_order_id: model.text(),
    kind: model.enum(["submit", "query", "callback", "cancel", "admin", "refund", "price_guard", "late_callback"]),
    /** The state the supplier's answer meant, or the admin's decision. */
    outcome: model.text(),
    from_status: model.text().nullable(),
    to_status: model.text().nullable(),
    http_status: model.number().nullable(),
    reason: model.text().nullable(),
    answer: model.json().nullable(),
    actor: model.text().nullable(),
  })
  .indexes([{ on: ["supplier_order_id", "created_at"] }])
