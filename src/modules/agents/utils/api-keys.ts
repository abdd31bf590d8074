import { createHash, randomBytes } from "crypto"

/** What the wholesale API's keys may be allowed to do. */
export const AGENT_KEY_SCOPES = ["catalog:read", "orders:read", "orders:write", "vouchers:redeem"] as const
export type AgentKeyScope = (typeof AGENT_KEY_SCOPES)[number]

export const isAgentKeyScope = (scope: string): scope is AgentKeyScope => (AGENT_KEY_SCOPES as readonly string[]).includes(scope)

/** `vgk_<12 hex prefix>_<43 base64url secret>` */
export const AGENT_KEY_PATTERN = /^vgk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

export const hashAgentKeySecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex")

/** A new key's parts: the full key (shown once, never stored) and what is stored of it. */
export function newAgentKey(): { key: string; prefix: string; secret_hash: string } {
  const prefix = randomBytes(6).toString("hex")
  const secret = randomBytes(32).toString("base64url")
  return { key: `vgk_${prefix}_${secret}`, prefix, secret_hash: hashAgentKeySecret(secret) }
}
