import { model } from "@medusajs/framework/utils"

/**
 * What reconciliation (对账) and the alerts found about a supplier: an order on one side only, a state or a cost that
 * differ, a low balance, a price over its limit, a late callback after a refund. One row per key (upsert); resolved by
 * an admin.
 */
export const SupplierFinding = model
  .define("supplier_finding", {
    id: model.id({ prefix: "supf" }).primaryKey(),
    key: model.text(),
    supplier_id: model.text(),
    supplier_order_id: model.text().nullable(),
    kind: model.enum([
      "missing_upstream",
      "missing_local",
      "state_mismatch",
      "cost_mismatch",
      "low_balance",
      "price_over_limit",
      "late_callback",
      "unknown_outcome",
      "restock_failed",
    ]),
    status: model.enum(["open", "resolved"]).default("open"),
    detail: model.text(),
    resolution: model.text().nullable(),
    resolved_by: model.text().nullable(),
    resolved_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["key"], unique: true },
    { on: ["status", "kind", "created_at"] },
  ])
