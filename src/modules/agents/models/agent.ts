import { model } from "@medusajs/framework/utils"

/**
 * A reseller (代理): a Medusa customer (module link) selling on to its own customers or sub-agents. `parent_id` is the
 * agent above it (null for a top-level agent); set at creation and never changed, so the tree has no cycles.
 * `customer_group_id` is its tier: the price lists of that customer group are its prices. A frozen agent cannot buy.
 * Its webhook secret is never stored: it is derived (HMAC) from the server's key, the agent id and a version.
 */
export const Agent = model
  .define("agent", {
    id: model.id({ prefix: "agent" }).primaryKey(),
    name: model.text(),
    parent_id: model.text().nullable(),
    customer_group_id: model.text().nullable(),
    status: model.enum(["active", "frozen"]).default("active"),
    /** Where its events are POSTed (https; private and loopback addresses refused unless allowed). */
    webhook_url: model.text().nullable(),
    /** The webhook signing secret is derived from the server's key and this version; a new secret bumps it. */
    webhook_secret_version: model.number().default(0),
    metadata: model.json().nullable(),
  })
  .indexes([{ on: ["parent_id"], where: "parent_id IS NOT NULL" }])
