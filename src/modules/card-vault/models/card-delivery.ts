import { model } from "@medusajs/framework/utils"

/**
 * Delivery state of one order that contains virtual goods: `delivered`, `held` (could not deliver yet, retried
 * by the sweep job and visible to admins), or `returned` (refunded or canceled).
 */
export const CardDelivery = model
  .define("card_delivery", {
    id: model.id({ prefix: "cdeliv" }).primaryKey(),
    order_id: model.text(),
    status: model.enum(["delivered", "held", "returned"]),
    attempts: model.number().default(0),
    last_error: model.text().nullable(),
    delivered_at: model.dateTime().nullable(),
  })
  .indexes([
    { name: "IDX_card_delivery_order_id_unique", on: ["order_id"], unique: true },
    { on: ["status", "updated_at"] },
  ])
