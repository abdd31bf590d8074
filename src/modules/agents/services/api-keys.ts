import { timingSafeEqual } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { AgentPrincipal } from "../types"
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

/** The wholesale API's keys: what a new key may be, authentication, revocation. */
export default class ApiKeysService {
  /** When this process last wrote each key's last_used_at (ms): at most one write per key and resolution. */
  private lastUsedWrites_ = new Map<string, number>()

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
    const now = Date.now()
    if (now - (this.lastUsedWrites_.get(row.id) ?? 0) >= LAST_USED_RESOLUTION_SECONDS * 1000) {
      this.lastUsedWrites_.set(row.id, now)
      if (this.lastUsedWrites_.size > 10_000) this.lastUsedWrites_.delete(this.lastUsedWrites_.keys().next().value!)
      await knex.raw(
        `UPDATE agent_api_key SET last_used_at = now()
          WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ?))`,
        [row.id, LAST_USED_RESOLUTION_SECONDS]
      )
    }
    return principal
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
