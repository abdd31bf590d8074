import { model } from "@medusajs/framework/utils"

/**
 * A cart's codes held while its shopper pays asynchronously (Alipay, WeChat Pay, 3-D Secure): the vault's sweep leaves
 * the cart's reservation alone until `expires_at`; reconciliation reads the payment back meanwhile and completes,
 * releases or refunds. One per cart.
 */
export const PaymentHold = model
  .define("payment_hold", {
    id: model.id({ prefix: "phld" }).primaryKey(),
    cart_id: model.text(),
    payment_session_id: model.text().nullable(),
    provider_id: model.text().nullable(),
    status: model.enum(["active", "completed", "released"]).default("active"),
    expires_at: model.dateTime(),
    closed_reason: model.text().nullable(),
  })
  .indexes([
    { on: ["cart_id"], unique: true },
    { on: ["status", "expires_at"] },
  ])
