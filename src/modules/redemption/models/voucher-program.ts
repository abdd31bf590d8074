import { model } from "@medusajs/framework/utils"

/**
 * How a pool's codes are redeemed (核销) when they are the merchant's own vouchers: `single_use` (once), `multi_use`
 * (`uses` times) or `stored_value` (`face_value` spent in parts, in `currency_code`). A redemption may be rolled back
 * within `rollback_window_seconds`. One program per pool; `disabled` stops redemptions (validation still answers).
 */
export const VoucherProgram = model
  .define("voucher_program", {
    id: model.id({ prefix: "vprog" }).primaryKey(),
    pool_id: model.text(),
    kind: model.enum(["single_use", "multi_use", "stored_value"]),
    uses: model.number().nullable(),
    face_value: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    rollback_window_seconds: model.number().default(900),
    status: model.enum(["active", "disabled"]).default("active"),
  })
  .indexes([{ on: ["pool_id"], unique: true, where: "deleted_at IS NULL" }])
