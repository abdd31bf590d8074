import { model } from "@medusajs/framework/utils"

/**
 * One order we place with a supplier, its id our order number there (the supplier's idempotency key). A top-up line
 * of a Medusa order (or of an agent's wholesale order), a restock of a pool, or a pass-through purchase for a sale.
 * State machine: pending → submitting → accepted → succeeded | failed | unknown; a timeout or a 5xx is never a
 * failure (the order is queried); `unknown` is an order past the window without a final answer, for the admins.
 * Every transition is one conditional UPDATE (utils/state-machine.ts). The recipient is sealed in `supplier_recipient`.
 */
export const SupplierOrder = model
  .define("supplier_order", {
    id: model.id({ prefix: "supo" }).primaryKey(),
    supplier_id: model.text(),
    supplier_product_id: model.text(),
    kind: model.enum(["topup", "restock", "pass_through"]),
    status: model.enum(["pending", "submitting", "accepted", "succeeded", "failed", "unknown"]).default("pending"),
    order_id: model.text().nullable(),
    line_item_id: model.text().nullable(),
    agent_order_id: model.text().nullable(),
    pool_id: model.text().nullable(),
    batch_id: model.text().nullable(),
    recipient_id: model.text().nullable(),
    recipient_masked: model.text().nullable(),
    upstream_product_id: model.text(),
    quantity: model.number(),
    /** What the buyer paid for the line (for the refund and the margin), or a restock's budgeted cost, decimal text. */
    amount: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    /** The most we accept to pay per unit (the price guard at submission). */
    max_unit_cost: model.bigNumber().nullable(),
    /** What the supplier charged, when it said. */
    cost: model.bigNumber().nullable(),
    upstream_order_no: model.text().nullable(),
    attempts: model.number().default(0),
    lease_until: model.dateTime().nullable(),
    next_check_at: model.dateTime().nullable(),
    submitted_at: model.dateTime().nullable(),
    settled_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    failure_reason: model.text().nullable(),
    refund_status: model.enum(["none", "refunding", "refunded"]).default("none"),
    refunded_at: model.dateTime().nullable(),
    /** An admin's decision (retry, refund, mark succeeded) with its reason. */
    resolution: model.text().nullable(),
    resolved_by: model.text().nullable(),
  })
  .indexes([
    { on: ["kind", "line_item_id"], unique: true, where: "line_item_id IS NOT NULL" },
    // One open restock per pool (see Migration20261201140000).
    {
      name: "IDX_supplier_order_open_restock_unique",
      on: ["pool_id"],
      unique: true,
      where: "kind = 'restock' AND status IN ('pending', 'submitting', 'accepted', 'unknown')",
    },
    { on: ["status", "next_check_at"] },
    { on: ["order_id"] },
    { on: ["supplier_id", "created_at"] },
    { on: ["pool_id", "created_at"] },
  ])
