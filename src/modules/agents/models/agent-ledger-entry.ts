import { model } from "@medusajs/framework/utils"

/**
 * One leg of a ledger transaction: `amount` is added to the account's balance (negative = money leaves it). The legs
 * of a transaction sum to zero. Append-only: a database trigger refuses UPDATE and DELETE; corrections are new
 * transactions (kind `adjustment`).
 */
export const AgentLedgerEntry = model
  .define("agent_ledger_entry", {
    id: model.id({ prefix: "aledg" }).primaryKey(),
    transaction_id: model.text(),
    account_id: model.text(),
    agent_id: model.text().nullable(),
    kind: model.enum(["topup", "adjustment", "purchase", "commission", "refund"]),
    amount: model.bigNumber(),
    currency_code: model.text(),
    reference_type: model.text().nullable(),
    reference_id: model.text().nullable(),
    note: model.text().nullable(),
    actor_type: model.text(),
    actor_id: model.text().nullable(),
  })
  .indexes([
    { on: ["transaction_id"] },
    { on: ["account_id", "created_at"] },
    { on: ["agent_id", "created_at"], where: "agent_id IS NOT NULL" },
    { on: ["reference_type", "reference_id"], where: "reference_id IS NOT NULL" },
  ])
