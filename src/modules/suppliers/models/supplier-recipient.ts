import { model } from "@medusajs/framework/utils"

/**
 * A top-up's recipient (phone number, game account and server…), personal data: sealed, bound to this row; lists show
 * `masked`. Given by the shopper for a cart's line (the line's metadata holds only this id and the mask) or by an agent
 * for a wholesale order.
 */
export const SupplierRecipient = model
  .define("supplier_recipient", {
    id: model.id({ prefix: "rcpt" }).primaryKey(),
    supplier_product_id: model.text(),
    variant_id: model.text().nullable(),
    cart_id: model.text().nullable(),
    agent_id: model.text().nullable(),
    ciphertext: model.text(),
    key_version: model.number(),
    masked: model.text(),
  })
  .indexes([{ on: ["cart_id"] }])
