import type { Context } from "@medusajs/framework/types"
import type { AgentStatement, LedgerEntryRow, StatementEntry, SubAgentSummary } from "../types"
import { fromMinor, toMinor } from "../utils/amounts"
import { knexOf } from "../utils/sql"
import type LedgerService from "./ledger"

/** What agents and admins read: statements, ledger pages, the sub-agents below an agent with their purchases. */
export default class AgentReportsService {
  protected ledger_: LedgerService

  constructor({ ledgerService }: { ledgerService: LedgerService }) {
    this.ledger_ = ledgerService
  }

  async statement(input: { agent_id: string; currency_code: string; from: Date; to: Date }, ctx: Context): Promise<AgentStatement> {
    const account = await this.ledger_.accountOf(input.agent_id, input.currency_code, ctx)
    const knex = knexOf(ctx)
    const [opening] = (
      await knex.raw<{ rows: { v: string }[] }>(`SELECT trim_scale(coalesce(sum(amount), 0))::text AS v FROM agent_ledger_entry WHERE account_id = ? AND created_at < ?`, [
        account.account_id,
        input.from.toISOString(),
      ])
    ).rows
    const { rows } = await knex.raw<{ rows: (Omit<StatementEntry, "created_at"> & { created_at: Date })[] }>(
      `SELECT id, transaction_id, kind, trim_scale(amount)::text AS amount, reference_type, reference_id, note, actor_type, actor_id, created_at,
              trim_scale(?::numeric + sum(amount) OVER (ORDER BY created_at, id))::text AS balance_after
         FROM agent_ledger_entry
        WHERE account_id = ? AND created_at >= ? AND created_at < ?
        ORDER BY created_at, id`,
      [opening.v, account.account_id, input.from.toISOString(), input.to.toISOString()]
    )
    const totals: Record<string, bigint> = {}
    for (const r of rows) totals[r.kind] = (totals[r.kind] ?? 0n) + toMinor(r.amount)
    const closing = rows.length ? rows[rows.length - 1].balance_after : opening.v
    return {
      agent_id: input.agent_id,
      currency_code: account.currency_code,
      from: input.from.toISOString(),
      to: input.to.toISOString(),
      opening_balance: opening.v,
      closing_balance: closing,
      totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, fromMinor(v)])),
      entries: rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() })),
    }
  }

  async ledgerOf(agentId: string, page: { limit: number; offset: number }, ctx: Context): Promise<{ entries: LedgerEntryRow[]; count: number }> {
    const knex = knexOf(ctx)
    const base = knex("agent_ledger_entry").where({ agent_id: agentId }).whereNull("deleted_at")
    const [entries, [{ count }]] = await Promise.all([
      base
        .clone()
        .select("id", "transaction_id", "kind", knex.raw("trim_scale(amount)::text AS amount"), "currency_code", "reference_type", "reference_id", "note", "actor_type", "actor_id", "created_at")
        .orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }])
        .limit(page.limit)
        .offset(page.offset) as Promise<LedgerEntryRow[]>,
      base.clone().count({ count: "*" }) as Promise<{ count: string | number }[]>,
    ])
    return { entries, count: Number(count) }
  }

  async subAgentSummaries(agentId: string, ctx: Context): Promise<SubAgentSummary[]> {
    const { rows } = await knexOf(ctx).raw<{ rows: SubAgentSummary[] }>(
      `WITH RECURSIVE down AS (
         SELECT id, name, parent_id, status, 1 AS depth FROM agent WHERE parent_id = ? AND deleted_at IS NULL
         UNION ALL
         SELECT a.id, a.name, a.parent_id, a.status, down.depth + 1 FROM agent a JOIN down ON a.parent_id = down.id
          WHERE a.deleted_at IS NULL AND down.depth < 64)
       SELECT d.id, d.name, d.parent_id, d.status, d.depth,
              coalesce(json_agg(json_build_object('currency_code', o.currency_code, 'orders', o.n, 'total', o.total))
                         FILTER (WHERE o.currency_code IS NOT NULL), '[]') AS purchases
         FROM down d
         LEFT JOIN (SELECT agent_id, currency_code, count(*)::int AS n, trim_scale(sum(total))::text AS total
                      FROM agent_order WHERE status = 'completed' AND deleted_at IS NULL GROUP BY agent_id, currency_code) o
                ON o.agent_id = d.id
        GROUP BY d.id, d.name, d.parent_id, d.status, d.depth
        ORDER BY d.depth, d.name, d.id`,
      [agentId]
    )
    return rows
  }
}
