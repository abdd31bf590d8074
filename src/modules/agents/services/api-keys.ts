import { createHmac, timingSafeEqual } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { AgentPrincipal, ResolvedAgentsOptions } from "../types"
import { AGENT_KEY_PATTERN, AGENT_KEY_SCOPES, type AgentKeyScope, hashAgentKeySecret, isAgentKeyScope } from "../utils/api-keys"
import { knexOf } from "../utils/sql"

/** last_used_at is written at most this often per key (not one write per request). */
const LAST_USED_RESOLUTION_SECONDS = 60

type KeyRow = {
  id: string
  agent_id: string
  secret_hash: string
  scopes: AgentKeyScope[] | string
  expires_at: Date | null
  revoked_at: Date | null
  status: "active" | "frozen"
}

/** The public part of a key (`vgk_<prefix>`), as signed protocols (dujiao-next) send it. */
const PUBLIC_KEY_PATTERN = /^vgk_([0-9a-f]{12})$/

/** The wholesale API's keys: what a new key may be, authentication, revocation, derived signing secrets. */
export default class ApiKeysService {
  protected options_: ResolvedAgentsOptions
  /** When this process last wrote each key's last_used_at (ms): at most one write per key and resolution. */
  private lastUsedWrites_ = new Map<string, number>()

  constructor({ agentsOptions }: { agentsOptions: ResolvedAgentsOptions }) {
    this.options_ = agentsOptions
  }

  /**
   * The dujiao-next signing secret of a key (derived, never stored): hex HMAC-SHA256 of the server key (the webhook
   * key) over `dujiao|<key id>`. The same key id always gives the same secret; a new key gives a new one.
   */
  dujiaoSigningSecret(keyId: string): string {
    if (!this.options_.webhook_key) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Signed API keys need a server key: set VIRTUAL_GOODS_WEBHOOK_KEY (base64, 32 bytes)")
    }
    return createHmac("sha256", Buffer.from(this.options_.webhook_key, "base64")).update(`dujiao|${keyId}`, "utf8").digest("hex")
  }

  /** Checks a new key (a known, active agent; known scopes; an expiry in the future); the scopes without repeats. */
  async checkNewKey(input: { agent_id: string; scopes: string[]; expires_at?: Date | null }, ctx: Context): Promise<AgentKeyScope[]> {
    const agent = await knexOf(ctx)<{ id: string; status: string }>("agent").first("id", "status").where({ id: input.agent_id }).whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.agent_id} was not found`)
    if (agent.status === "frozen") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${input.agent_id} is frozen: it gets no new API key`)
    const unknown = input.scopes.filter((s) => !isAgentKeyScope(s))
    if (!input.scopes.length || unknown.length) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `scopes must be one or more of ${AGENT_KEY_SCOPES.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`
      )
    }
    if (input.expires_at && input.expires_at.getTime() <= Date.now()) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "expires_at must be in the future")
    }
    return [...new Set(input.scopes.filter(isAgentKeyScope))]
  }

  async authenticateApiKey(key: string, ctx: Context): Promise<AgentPrincipal> {
    const denied = () => new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid, expired or revoked API key")
    const m = AGENT_KEY_PATTERN.exec(String(key ?? ""))
    const knex = knexOf(ctx)
    const row: KeyRow | undefined = await knex("agent_api_key as k")
      .join("agent as a", "a.id", "k.agent_id")
      .first("k.id", "k.agent_id", "k.secret_hash", "k.scopes", "k.expires_at", "k.revoked_at", "a.status")
      // A malformed key takes the same path (a lookup that finds nothing, a hash, a comparison): no timing tells it apart.
      .where("k.prefix", m?.[1] ?? "-")
      .whereNull("k.deleted_at")
      .whereNull("a.deleted_at")
    const given = Buffer.from(hashAgentKeySecret(m?.[2] ?? String(key ?? "")), "hex")
    const stored = Buffer.from(row?.secret_hash ?? "0".repeat(64), "hex")
    const match = given.length === stored.length && timingSafeEqual(given, stored)
    if (!m || !row || !match || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())) throw denied()
    if (row.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${row.agent_id} is frozen`)
    const scopes: AgentKeyScope[] = typeof row.scopes === "string" ? JSON.parse(row.scopes) : row.scopes
    const principal = { agent_id: row.agent_id, key_id: row.id, scopes }
    // Written by this process less than a resolution ago: no statement (the conditional UPDATE guards the rest).
    await this.touch_(row.id, ctx)
    return principal
  }

  /**
   * The agent behind the public part of a key (`vgk_<prefix>`), for protocols that sign each request with a secret
   * derived from the key instead of sending it: the caller verifies the signature. Unknown, malformed, revoked and
   * expired keys are the same UNAUTHORIZED; a frozen agent is NOT_ALLOWED. Records the last use like
   * `authenticateApiKey`.
   */
  async authenticateApiKeyPrefix(publicKey: string, ctx: Context): Promise<AgentPrincipal> {
    const m = PUBLIC_KEY_PATTERN.exec(String(publicKey ?? "").trim())
    const denied = () => new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid, expired or revoked API key")
    if (!m) throw denied()
    const knex = knexOf(ctx)
    const row: Omit<KeyRow, "secret_hash"> | undefined = await knex("agent_api_key as k")
      .join("agent as a", "a.id", "k.agent_id")
      .first("k.id", "k.agent_id", "k.scopes", "k.expires_at", "k.revoked_at", "a.status")
      .where("k.prefix", m[1])
      .whereNull("k.deleted_at")
      .whereNull("a.deleted_at")
    if (!row || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())) throw denied()
    if (row.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${row.agent_id} is frozen`)
    const scopes: AgentKeyScope[] = typeof row.scopes === "string" ? JSON.parse(row.scopes) : row.scopes
    await this.touch_(row.id, ctx)
    return { agent_id: row.agent_id, key_id: row.id, scopes }
  }

  /** Records a key's last use, at most once per resolution (in this process and in the database). */
  private async touch_(keyId: string, ctx: Context) {
    const now = Date.now()
    if (now - (this.lastUsedWrites_.get(keyId) ?? 0) < LAST_USED_RESOLUTION_SECONDS * 1000) return
    this.lastUsedWrites_.set(keyId, now)
    if (this.lastUsedWrites_.size > 10_000) this.lastUsedWrites_.delete(this.lastUsedWrites_.keys().next().value!)
    await knexOf(ctx).raw(
      `UPDATE agent_api_key SET last_used_at = now()
        WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ?))`,
      [keyId, LAST_USED_RESOLUTION_SECONDS]
    )
  }

  async revokeApiKey(input: { agent_id: string; key_id: string }, ctx: Context): Promise<{ id: string; revoked_at: Date }> {
    const knex = knexOf(ctx)
    const rows: { id: string; revoked_at: Date }[] = await knex("agent_api_key")
      .where({ id: input.key_id, agent_id: input.agent_id })
      .whereNull("deleted_at")
      .update({ revoked_at: knex.raw("coalesce(revoked_at, now())"), updated_at: knex.fn.now() })
      .returning(["id", "revoked_at"])
    if (!rows.length) throw new MedusaError(MedusaError.Types.NOT_FOUND, `API key ${input.key_id} of agent ${input.agent_id} was not found`)
    return rows[0]
  }
}
