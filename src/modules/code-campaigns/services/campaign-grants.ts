import type { Context, DAL } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"

/** Why a customer got no code from a campaign. */
export type GrantRefusal = "already_granted" | "budget_spent" | "not_running"

export type GrantClaim = { granted: true; grant_id: string; pool_id: string } | { granted: false; reason: GrantRefusal }

/** A campaign's figures: codes given, and how many of them are left in its budget. */
export type CampaignCounts = { id: string; issued: number; budget: number; remaining: number }

const knexOf = (ctx: Context): Knex => {
  const em = (ctx.transactionManager ?? ctx.manager) as SqlEntityManager
  return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()
}

/**
 * Grants: one code per campaign and customer, within the budget. Both limits are the database's: the grant's unique
 * index (a concurrent second grant for the customer waits for the first and then inserts nothing) and one conditional
 * UPDATE of the campaign's `issued` (`issued < budget`, its row lock serialising concurrent grants). A grant that
 * finds the budget spent is removed in the same transaction.
 */
export default class CampaignGrantsService {
  protected baseRepository_: DAL.RepositoryService

  constructor(container: { baseRepository: DAL.RepositoryService }) {
    this.baseRepository_ = container.baseRepository
  }

  @InjectTransactionManager()
  async claimGrant(input: { campaign_id: string; customer_id: string; email?: string | null }, @MedusaContext() ctx: Context = {}): Promise<GrantClaim> {
    const knex = knexOf(ctx)
    const id = generateEntityId(undefined, "cgrant")
    const inserted = await knex.raw(
      `INSERT INTO code_campaign_grant (id, campaign_id, customer_id, email)
       SELECT ?, c.id, ?, ? FROM code_campaign c
        WHERE c.id = ? AND c.status = 'active' AND c.deleted_at IS NULL
          AND (c.starts_at IS NULL OR c.starts_at <= now()) AND (c.ends_at IS NULL OR c.ends_at > now())
       ON CONFLICT (campaign_id, customer_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [id, input.customer_id, input.email ?? null, input.campaign_id]
    )
    if (!inserted.rows.length) {
      const { rows } = await knex.raw(
        `SELECT 1 FROM code_campaign_grant WHERE campaign_id = ? AND customer_id = ? AND deleted_at IS NULL`,
        [input.campaign_id, input.customer_id]
      )
      return { granted: false, reason: rows.length ? "already_granted" : "not_running" }
    }
    const { rows } = await knex.raw(
      `UPDATE code_campaign SET issued = issued + 1, updated_at = now() WHERE id = ? AND issued < budget RETURNING pool_id`,
      [input.campaign_id]
    )
    if (!rows.length) {
      await knex("code_campaign_grant").where({ id }).delete()
      return { granted: false, reason: "budget_spent" }
    }
    return { granted: true, grant_id: id, pool_id: rows[0].pool_id }
  }

  /** Compensation of `claimGrant` (the code could not be given): the grant goes and the budget gets it back. */
  @InjectTransactionManager()
  async releaseGrant(input: { grant_id: string }, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = knexOf(ctx)
    const { rows } = await knex.raw(`DELETE FROM code_campaign_grant WHERE id = ? RETURNING campaign_id`, [input.grant_id])
    if (rows.length) {
      await knex.raw(`UPDATE code_campaign SET issued = issued - 1, updated_at = now() WHERE id = ? AND issued > 0`, [rows[0].campaign_id])
    }
  }

  /** Records which code (its id) a grant gave. */
  @InjectTransactionManager()
  async attachCode(input: { grant_id: string; code_id: string }, @MedusaContext() ctx: Context = {}): Promise<void> {
    await knexOf(ctx)("code_campaign_grant").where({ id: input.grant_id }).update({ code_id: input.code_id, updated_at: knexOf(ctx).fn.now() })
  }

  /** Campaigns' given codes and what is left of their budgets. */
  @InjectManager()
  async countsOf(ids: string[], @MedusaContext() ctx: Context = {}): Promise<CampaignCounts[]> {
    if (!ids.length) return []
    const rows: { id: string; issued: number; budget: number }[] = await knexOf(ctx)("code_campaign").select("id", "issued", "budget").whereIn("id", ids)
    return rows.map((r) => ({ id: r.id, issued: Number(r.issued), budget: Number(r.budget), remaining: Math.max(Number(r.budget) - Number(r.issued), 0) }))
  }
}
