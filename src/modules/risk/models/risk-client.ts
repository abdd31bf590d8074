import { model } from "@medusajs/framework/utils"

/** Who is completing a cart: the client IP (see the trusted-proxy setting) and the device id the storefront sends. */
export const RiskClient = model
  .define("risk_client", {
    id: model.id({ prefix: "rcli" }).primaryKey(),
    cart_id: model.text(),
    ip: model.text().nullable(),
    device_id: model.text().nullable(),
  })
  .indexes([{ name: "IDX_risk_client_cart_unique", on: ["cart_id"], unique: true }])
