import { model } from "@medusajs/framework/utils"

/**
 * The refund of one component of a bundle line (its codes taken back, its share of the line's price given back),
 * once per line and pool: `refunding` while the money moves, `refunded` after. Ids and amounts only.
 */
export const CardBundleRefund = model
  .define("card_bundle_refund", {
    id: model.id({ prefix: "cbref" }).primaryKey(),
    order_id: model.text(),
    line_item_id: model.text(),
    pool_id: model.text(),
    amount: model.bigNumber(),
    currency_code: model.text(),
    reason: model.text(),
    status: model.enum(["refunding", "refunded"]).default("refunding"),
    restocked: model.number().default(0),
    voided: model.number().default(0),
    created_by: model.text().nullable(),
  })
  .indexes([
    { name: "IDX_card_bundle_refund_line_pool", on: ["line_item_id", "pool_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["order_id"] },
  ])
