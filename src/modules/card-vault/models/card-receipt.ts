import { model } from "@medusajs/framework/utils"

/**
 * The receipt of the browser that checks out a cart: a secret the storefront's server makes when it creates the cart
 * and keeps in the shopper's httpOnly cookie. Once the cart is an order, the secret opens that order's codes on its
 * confirmation page — masked, then revealed on purpose — like a guest link that never left the browser. Only a hash
 * of the secret is stored; one receipt per cart (the first registration wins); expiring and limited-use.
 */
export const CardReceipt = model
  .define("card_receipt", {
    id: model.id({ prefix: "crcpt" }).primaryKey(),
    cart_id: model.text(),
    secret_hash: model.text(),
    expires_at: model.dateTime(),
    max_uses: model.number(),
    use_count: model.number().default(0),
    last_used_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["cart_id"], unique: true },
    { on: ["secret_hash"], unique: true },
  ])
