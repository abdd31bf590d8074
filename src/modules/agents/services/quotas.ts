import { randomBytes } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { AgentQuotaRow, QuotaPeriod } from "../types"
import { knexOf, pgError } from "../utils/sql"

/** In SQL over `agent_quota`: the start of the current period of a row's quota (UTC calendar day, week or month). */
const QUOTA_PERIOD_START = `date_trunc(period, now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`
/**
 * In SQL over `agent_quota`: the row's `used` belongs to a period that has ended (it counts as 0). CASE, not AND:
 * PostgreSQL may evaluate AND's operands in any order, and date_trunc('none', …) would fail.
 */
const QUOTA_PERIOD_LAPSED = `(CASE WHEN period = 'none' THEN false ELSE (period_start IS NULL OR period_start < ${QUOTA_PERIOD_START}) END)`

type QuotaUse = { agent_id: string; variant_id: string; quantity: number }

/** Agents' quotas per variant (in total or per UTC day, week or month), consumed by one conditional statement. */
export default class QuotasService {
  async setQuota(
    input: { agent_id: string; variant_id: string; limit: number; period?: QuotaPeriod },
    ctx: Context
  ): Promise<{ id: string; quota_limit: number; period: string; used: number }> {
    if (!Number.isInteger(input.limit) || input.limit < 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `limit must be a non-negative integer, got ${JSON.stringify(input.limit)}`)
    }
    const period = input.period ?? "none"
    const knex = knexOf(ctx)
    const agent = await knex("agent").first("id").where({ id: input.agent_id }).whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.agent_id} was not found`)
    const start = period === "none" ? null : knex.raw(`date_trunc('${period}', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`)
    try {
      const { rows } = await knex.raw<{ rows: { id: string; quota_limit: number; period: string; used: number }[] }>(
        `INSERT INTO agent_quota (id, agent_id, variant_id, quota_limit, period, used, period_start)
         VALUES (?, ?, ?, ?, ?, 0, ${start ? "?" : "NULL"})
         ON CONFLICT (agent_id, variant_id) WHERE deleted_at IS NULL DO UPDATE
            SET quota_limit = EXCLUDED.quota_limit, period = EXCLUDED.period, updated_at = now(),
                used = CASE WHEN agent_quota.period = EXCLUDED.period THEN agent_quota.used ELSE 0 END,
                period_start = CASE WHEN agent_quota.period = EXCLUDED.period THEN agent_quota.period_start ELSE EXCLUDED.period_start END
         RETURNING id, quota_limit, period, used`,
        [`aquota_${randomBytes(10).toString("hex")}`, input.agent_id, input.variant_id, input.limit, period, ...(start ? [start] : [])]
      )
      return rows[0]
    } catch (e: unknown) {
      if (/agent_quota_within_limit/.test(pgError(e).message)) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `limit ${input.limit} is below what agent ${input.agent_id} already used of variant ${input.variant_id} in this period`)
      }
      throw e
    }
  }

  async consumeQuota(input: QuotaUse, ctx: Context): Promise<{ limited: boolean; used?: number; remaining?: number }> {
    if (!Number.isInteger(input.quantity) || input.quantity <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "quantity must be a positive integer")
    }
    const knex = knexOf(ctx)
    // One statement in the common cases: the conditional UPDATE, and whether the agent has a quota for the variant at
    // all. Only a refusal reads the quota again (in a fresh snapshot, after the concurrent orders it waited for).
    const { rows } = await knex.raw<{ rows: { consumed: { used: number; quota_limit: number } | null; has_quota: boolean }[] }>(
      `WITH consumed AS (
         UPDATE agent_quota
            SET used = (CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END) + ?,
                period_start = CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN ${QUOTA_PERIOD_START} ELSE period_start END,
                updated_at = now()
          WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL
            AND (CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END) + ? <= quota_limit
          RETURNING used, quota_limit)
       SELECT (SELECT json_build_object('used', used, 'quota_limit', quota_limit) FROM consumed) AS consumed,
              EXISTS (SELECT 1 FROM agent_quota WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL) AS has_quota`,
      [input.quantity, input.agent_id, input.variant_id, input.quantity, input.agent_id, input.variant_id]
    )
    const { consumed, has_quota } = rows[0]
    if (consumed) return { limited: true, used: consumed.used, remaining: consumed.quota_limit - consumed.used }
    if (!has_quota) return { limited: false }
    const [quota] = (
      await knex.raw<{ rows: { quota_limit: number; used: number; period: string }[] }>(
        `SELECT quota_limit, CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END AS used, period FROM agent_quota
          WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL`,
        [input.agent_id, input.variant_id]
      )
    ).rows
    if (!quota) return { limited: false }
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Quota exceeded: agent ${input.agent_id} may buy ${quota.quota_limit - quota.used} more of variant ${input.variant_id}${quota.period === "none" ? "" : ` this ${quota.period}`}, asked for ${input.quantity}`
    )
  }

  async releaseQuota(input: QuotaUse, ctx: Context) {
    await knexOf(ctx).raw(
      `UPDATE agent_quota SET used = greatest(used - ?, 0), updated_at = now() WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL`,
      [input.quantity, input.agent_id, input.variant_id]
    )
  }

  async quotasOf(agentId: string, ids: string[] | undefined, ctx: Context): Promise<AgentQuotaRow[]> {
    const { rows } = await knexOf(ctx).raw<{ rows: AgentQuotaRow[] }>(
      `SELECT id, variant_id, quota_limit, period, CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END AS used,
              quota_limit - (CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END) AS remaining,
              CASE WHEN period = 'none' THEN NULL ELSE ${QUOTA_PERIOD_START} END AS period_start, updated_at
         FROM agent_quota WHERE agent_id = ? AND deleted_at IS NULL ${ids ? "AND id = ANY(?)" : ""}
        ORDER BY created_at, id`,
      [agentId, ...(ids ? [ids] : [])]
    )
    return rows
  }
}
