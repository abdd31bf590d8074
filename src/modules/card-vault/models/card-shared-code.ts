import { model } from "@medusajs/framework/utils"

/**
 * One code of a reusable pool (循环卡密: a shared account, a course link) that is sold to several orders, up to
 * `sale_limit` sales (unlimited when null). It holds no ciphertext: each sale is a copy — an ordinary `card_code` row
 * sealed for its own id, with `shared_code_id` pointing here — so reservation, delivery, reveal, refunds and reports
 * treat a sale of a shared code like any other code. Copies are made ahead of sales, a few at a time
 * (services/shared-codes.ts); `copies_made` never exceeds the limit (a CHECK in the migration), so no code is sold
 * more often than its limit allows whatever runs at once.
 */
export const CardSharedCode = model
  .define("card_shared_code", {
    id: model.id({ prefix: "cshare" }).primaryKey(),
    pool_id: model.text(),
    batch_id: model.text(),
    /** Blind index of the code (its first copy carries the same one, so an exclusive import of it is refused). */
    blind_index: model.text(),
    mask: model.text(),
    /** How many orders may buy it; null: unlimited. */
    sale_limit: model.number().nullable(),
    /** Copies made so far (sold or not); at most `sale_limit`. */
    copies_made: model.number().default(0),
    /** active: sold · withdrawn: no further sales, its holders were told. */
    status: model.enum(["active", "withdrawn"]).default("active"),
    withdrawn_at: model.dateTime().nullable(),
    withdraw_reason: model.text().nullable(),
  })
  .indexes([
    { name: "IDX_card_shared_code_blind_index_unique", on: ["blind_index"], unique: true },
    { name: "IDX_card_shared_code_pool_id", on: ["pool_id", "status"] },
    { name: "IDX_card_shared_code_batch_id", on: ["batch_id"] },
  ])
