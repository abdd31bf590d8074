import { model } from "@medusajs/framework/utils"

/**
 * One redeemable code's balance: what is left to redeem (uses, or value for a stored-value voucher), created with its
 * program's values at the first redemption. The database refuses a negative balance (CHECK constraints), and every
 * change is one conditional UPDATE joined with its ledger row (voucher_redemption).
 */
export const Voucher = model
  .define("voucher", {
    id: model.id({ prefix: "vch" }).primaryKey(),
    code_id: model.text(),
    pool_id: model.text(),
    program_id: model.text(),
    kind: model.enum(["single_use", "multi_use", "stored_value"]),
    remaining_uses: model.number().nullable(),
    remaining_value: model.bigNumber().nullable(),
    redeemed_count: model.number().default(0),
    first_redeemed_at: model.dateTime().nullable(),
    last_redeemed_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["code_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["pool_id"] },
  ])
