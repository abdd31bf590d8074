import { model } from "@medusajs/framework/utils"

/**
 * A money account of the double-entry ledger in one currency: an agent's prepaid balance (with its credit limit, 授信),
 * or the house account that money comes from and goes to. The database refuses any change that would take an
 * agent's balance below minus its credit limit (CHECK constraint), under any concurrency.
 */
export const AgentAccount = model
  .define("agent_account", {
    id: model.id({ prefix: "aacct" }).primaryKey(),
    agent_id: model.text().nullable(),
    kind: model.enum(["agent", "house"]),
    currency_code: model.text(),
    balance: model.bigNumber().default(0),
    credit_limit: model.bigNumber().default(0),
  })
  .indexes([
    { name: "IDX_agent_account_agent_currency_unique", on: ["agent_id", "currency_code"], unique: true, where: "agent_id IS NOT NULL" },
    { name: "IDX_agent_account_house_currency_unique", on: ["currency_code"], unique: true, where: "kind = 'house'" },
  ])
