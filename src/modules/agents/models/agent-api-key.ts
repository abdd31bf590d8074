import { model } from "@medusajs/framework/utils"

/**
 * A key an agent's own system calls the wholesale API with: `vgk_<prefix>_<secret>`. Only the prefix (to find the key)
 * and a SHA-256 of the secret (256 random bits, so a fast hash is enough) are stored; the full key is shown once.
 * Scoped, optionally expiring, revocable (checked on every request), with the time it was last used.
 */
export const AgentApiKey = model
  .define("agent_api_key", {
    id: model.id({ prefix: "akey" }).primaryKey(),
    agent_id: model.text(),
    name: model.text(),
    prefix: model.text(),
    secret_hash: model.text(),
    scopes: model.json(),
    expires_at: model.dateTime().nullable(),
    revoked_at: model.dateTime().nullable(),
    last_used_at: model.dateTime().nullable(),
    created_by: model.text().nullable(),
  })
  .indexes([
    { name: "IDX_agent_api_key_prefix_unique", on: ["prefix"], unique: true },
    { on: ["agent_id"] },
  ])
