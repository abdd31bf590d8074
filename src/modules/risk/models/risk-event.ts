import { model } from "@medusajs/framework/utils"

/** One order counted for the velocity rules under `key` (e.g. `ip:203.0.113.7`), when no Redis is configured. */
export const RiskEvent = model
  .define("risk_event", {
    id: model.id({ prefix: "revt" }).primaryKey(),
    key: model.text(),
    amount: model.bigNumber().default(0),
    quantity: model.number().default(0),
  })
  .indexes([{ on: ["key", "created_at"] }])
