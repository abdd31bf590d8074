import { model } from "@medusajs/framework/utils"

/**
 * The voucher ledger: one row per redemption (`redeem`: one use, or `amount` of a stored value) and per rollback
 * (`rollback`, `reverses_id` the redemption it gives back, once: a unique index). What was left after it is kept
 * (`remaining_uses_after`, `remaining_value_after`). `channel`: a counter (an admin user) or a partner (an agent key).
 * A request's `Idempotency-Key` is unique per channel and actor; `request_hash` tells a replay from a misuse.
 */
export const VoucherRedemption = model
  .define("voucher_redemption", {
    id: model.id({ prefix: "vred" }).primaryKey(),
    voucher_id: model.text(),
    code_id: model.text(),
    pool_id: model.text(),
    kind: model.enum(["redeem", "rollback"]),
    uses: model.number().default(0),
    amount: model.bigNumber().nullable(),
    remaining_uses_after: model.number().nullable(),
    remaining_value_after: model.bigNumber().nullable(),
    channel: model.enum(["counter", "partner"]),
    actor_type: model.text(),
    actor_id: model.text().nullable(),
    idempotency_key: model.text().nullable(),
    request_hash: model.text().nullable(),
    reason: model.text().nullable(),
    reverses_id: model.text().nullable(),
    rolled_back_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["channel", "actor_id", "idempotency_key"], unique: true, where: "idempotency_key IS NOT NULL AND deleted_at IS NULL" },
    { on: ["reverses_id"], unique: true, where: "reverses_id IS NOT NULL AND deleted_at IS NULL" },
    { on: ["code_id", "created_at"] },
    { on: ["pool_id", "created_at"] },
  ])
