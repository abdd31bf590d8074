import { model } from "@medusajs/framework/utils"

/**
 * How many codes of a variant an agent may buy: in total (`period: none`) or per calendar day, week or month (UTC).
 * `used` counts the current period; one conditional UPDATE consumes it, so concurrent orders can never exceed it.
 * No quota row for an agent and variant means no limit.
 */
export const AgentQuota = model
  .define("agent_quota", {
    id: model.id({ prefix: "aquota" }).primaryKey(),
    agent_id: model.text(),
    variant_id: model.text(),
    quota_limit: model.number(),
    period: model.enum(["none", "day", "week", "month"]).default("none"),
    used: model.number().default(0),
    period_start: model.dateTime().nullable(),
  })
  .indexes([{ name: "IDX_agent_quota_agent_variant_unique", on: ["agent_id", "variant_id"], unique: true }])
