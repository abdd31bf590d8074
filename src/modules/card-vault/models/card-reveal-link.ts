import { model } from "@medusajs/framework/utils"

/**
 * A guest reveal link for one order: only an HMAC of its secret is stored; expiring and limited-use.
 */
export const CardRevealLink = model
  .define("card_reveal_link", {
    id: model.id({ prefix: "crlink" }).primaryKey(),
    order_id: model.text(),
    token_hash: model.text(),
    expires_at: model.dateTime(),
    max_uses: model.number(),
    use_count: model.number().default(0),
    last_used_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["order_id"] }, { on: ["token_hash"], unique: true }])
