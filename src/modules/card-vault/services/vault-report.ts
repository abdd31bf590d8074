import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import { sourcesOf, type CardCodeStatusValue, CardCodeStatus, SOLD_STATUSES } from "../utils/state-machine"
import { CARD_CODE_STATUSES } from "../utils/state-machine"
import { VaultSqlService, IN, type Knex } from "../utils/sql"
import type { StockCounts, CardAlertKind, CardAlertRaised, CardSalesLine, CardBatchReport } from "../types"

/** Reports and alerts: stock counts per status, sales lines and costs per batch, and stock alerts raised or cleared. */
export default class VaultReportService extends VaultSqlService {
  /** Code counts by status per pool (every status present, zero when empty). */
  @InjectManager()
  async getStockCounts(poolIds: string[], @MedusaContext() ctx: Context = {}): Promise<Record<string, StockCounts>> {
    const result: Record<string, StockCounts> = {}
    for (const id of poolIds) {
      result[id] = Object.fromEntries([...CARD_CODE_STATUSES.map((s) => [s, 0]), ["total", 0]]) as StockCounts
    }
    if (!poolIds.length) return result
    const knex = this.knex_(ctx)
    const rows: { pool_id: string; status: string; n: string }[] = await knex("card_code")
      .select("pool_id", "status", knex.raw("count(*) AS n"))
      .whereIn("pool_id", poolIds)
      .whereNull("deleted_at")
      .groupBy("pool_id", "status")
    for (const r of rows) {
      const n = Number(r.n)
      result[r.pool_id][r.status as CardCodeStatusValue] = n
      result[r.pool_id].total += n
    }
    return result
  }

  /**
   * Codes a shopper could still buy per pool: available and not past their date (every pool asked for is present,
   * zero when empty). Read from the partial index of available codes, so a pool's sold history costs nothing.
   */
  @InjectManager()
  async getAvailableCounts(poolIds: string[], @MedusaContext() ctx: Context = {}): Promise<Record<string, number>> {
    const result: Record<string, number> = Object.fromEntries(poolIds.map((id) => [id, 0]))
    if (!poolIds.length) return result
    const rows: { pool_id: string; n: string }[] = await this.knex_(ctx)("card_code")
      .select("pool_id")
      .count({ n: "*" })
      .whereIn("pool_id", poolIds)
      .whereIn("status", sourcesOf("reserve"))
      .whereNull("deleted_at")
      .where((q: Knex) => q.whereNull("expires_at").orWhere("expires_at", ">", this.knex_(ctx).fn.now()))
      .groupBy("pool_id")
    for (const r of rows) result[r.pool_id] = Number(r.n)
    return result
  }

  /**
   * Checks every pool's alert thresholds: `low_stock` when sellable codes are at or below `low_stock_threshold`,
   * `near_expiry` when sellable codes expire within `expiry_warning_days`. A condition that starts to hold raises one
   * alert (a unique index allows one active alert per pool and kind, so it is raised once); one that no longer holds
   * clears it. Returns the alerts raised now, for notification.
   */
  @InjectTransactionManager()
  async evaluateStockAlerts(@MedusaContext() ctx: Context = {}): Promise<{ raised: CardAlertRaised[]; cleared: string[] }> {
    const knex = this.knex_(ctx)
    const { rows: pools } = await knex.raw(
      `SELECT p.id, p.name, p.low_stock_threshold, p.expiry_warning_days,
              (SELECT count(*) FROM card_code c WHERE c.pool_id = p.id AND c.status = '${CardCodeStatus.AVAILABLE}' AND c.deleted_at IS NULL
                  AND (c.expires_at IS NULL OR c.expires_at > now()))::int AS available,
              e.expiring, e.earliest
         FROM card_pool p
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS expiring, min(c.expires_at) AS earliest FROM card_code c
            WHERE c.pool_id = p.id AND c.status = '${CardCodeStatus.AVAILABLE}' AND c.deleted_at IS NULL AND c.expires_at > now()
              AND c.expires_at <= now() + make_interval(days => p.expiry_warning_days)) e ON p.expiry_warning_days IS NOT NULL
        WHERE p.deleted_at IS NULL
          AND (p.low_stock_threshold IS NOT NULL OR p.expiry_warning_days IS NOT NULL
               OR EXISTS (SELECT 1 FROM card_alert a WHERE a.pool_id = p.id AND a.status = 'active'))`
    )
    const raised: CardAlertRaised[] = []
    const cleared: string[] = []
    for (const p of pools) {
      const conditions: { kind: CardAlertKind; holds: boolean; details: Record<string, unknown> }[] = [
        {
          kind: "low_stock",
          holds: p.low_stock_threshold !== null && p.available <= p.low_stock_threshold,
          details: { available: p.available, threshold: p.low_stock_threshold },
        },
        {
          kind: "near_expiry",
          holds: p.expiry_warning_days !== null && (p.expiring ?? 0) > 0,
          details: {
            expiring: p.expiring ?? 0,
            within_days: p.expiry_warning_days,
            earliest: p.earliest ? new Date(p.earliest).toISOString() : null,
          },
        },
      ]
      for (const c of conditions) {
        if (c.holds) {
          const { rows } = await knex.raw(
            `INSERT INTO card_alert (id, pool_id, kind, status, details) VALUES (?, ?, ?, 'active', ?)
             ON CONFLICT (pool_id, kind) WHERE status = 'active' AND deleted_at IS NULL DO NOTHING
             RETURNING id, created_at`,
            [generateEntityId(undefined, "calert"), p.id, c.kind, JSON.stringify(c.details)]
          )
          if (rows.length) {
            raised.push({ id: rows[0].id, pool_id: p.id, pool_name: p.name, kind: c.kind, details: c.details, created_at: rows[0].created_at })
          }
        } else {
          const rows = await knex("card_alert")
            .where({ pool_id: p.id, kind: c.kind, status: "active" })
            .update({ status: "cleared", cleared_at: knex.fn.now(), updated_at: knex.fn.now() })
            .returning("id")
          cleared.push(...rows.map((r: { id: string }) => r.id))
        }
      }
    }
    return { raised, cleared }
  }

  /** Compensation of `evaluateStockAlerts`: forgets alerts raised by a run whose notification failed, to raise again. */
  @InjectTransactionManager()
  async forgetRaisedAlerts(input: { alert_ids: string[] }, @MedusaContext() ctx: Context = {}) {
    if (!input.alert_ids.length) return
    await this.knex_(ctx)("card_alert").whereIn("id", input.alert_ids).where("status", "active").delete()
  }

  /**
   * Codes sold in a period, grouped by day (UTC), pool, batch, order and order line: how many are sold (delivered or
   * revealed), how many of them were voided as invalid, and their cost (a code's own cost, else its batch's cost per
   * code) in the batch's currency. Invalid codes stay in the cost: they were paid for until the supplier refunds them.
   */
  @InjectManager()
  async getSalesLines(
    input: { from: Date; to: Date },
    @MedusaContext() ctx: Context = {}
  ): Promise<CardSalesLine[]> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `SELECT to_char(c.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, c.pool_id, c.batch_id, c.order_id, c.line_item_id,
              b.currency_code AS cost_currency_code,
              count(*) FILTER (WHERE c.status IN (${IN(SOLD_STATUSES)}))::int AS sold,
              count(*) FILTER (WHERE c.invalid)::int AS invalid,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)), 0))::text AS cost
         FROM card_code c JOIN card_batch b ON b.id = c.batch_id
        WHERE c.delivered_at IS NOT NULL AND c.deleted_at IS NULL AND c.order_id IS NOT NULL
          AND c.delivered_at >= ? AND c.delivered_at < ?
          AND (c.status IN (${IN(SOLD_STATUSES)}) OR c.invalid)
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2`,
      [input.from.toISOString(), input.to.toISOString()]
    )
    return rows
  }

  /** Codes sold per pool since `since` (for the stock outlook: how fast each pool empties). */
  @InjectManager()
  async getSoldSince(poolIds: string[], since: Date, @MedusaContext() ctx: Context = {}): Promise<Record<string, number>> {
    const result: Record<string, number> = Object.fromEntries(poolIds.map((id) => [id, 0]))
    if (!poolIds.length) return result
    const { rows } = await this.knex_(ctx).raw(
      `SELECT pool_id, count(*)::int AS n FROM card_code
        WHERE pool_id = ANY(?) AND delivered_at >= ? AND delivered_at IS NOT NULL AND deleted_at IS NULL
          AND status IN (${IN(SOLD_STATUSES)})
        GROUP BY pool_id`,
      [poolIds, since.toISOString()]
    )
    for (const r of rows) result[r.pool_id] = r.n
    return result
  }

  /**
   * Per batch: codes by status, how many were sold (delivered or revealed), voided as invalid (supplier chargeback),
   * revealed and frozen by a payment dispute (`disputed`: the customer has the code, the payment is contested; no longer
   * counted once the dispute is won), and their cost (a code's own cost when its import line gave one, else the batch's
   * cost per code). Amounts are decimal strings in the batch's currency.
   */
  @InjectManager()
  async getBatchReports(batchIds: string[], @MedusaContext() ctx: Context = {}): Promise<Record<string, CardBatchReport>> {
    const result: Record<string, CardBatchReport> = {}
    if (!batchIds.length) return result
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `SELECT b.id, b.currency_code,
              count(c.id) FILTER (WHERE c.status = '${CardCodeStatus.AVAILABLE}')::int AS available,
              count(c.id) FILTER (WHERE c.status = '${CardCodeStatus.RESERVED}')::int AS reserved,
              count(c.id) FILTER (WHERE c.status = '${CardCodeStatus.DELIVERED}')::int AS delivered,
              count(c.id) FILTER (WHERE c.status = '${CardCodeStatus.REVEALED}')::int AS revealed,
              count(c.id) FILTER (WHERE c.status = '${CardCodeStatus.VOIDED}')::int AS voided,
              count(c.id) FILTER (WHERE c.status = '${CardCodeStatus.EXPIRED}')::int AS expired,
              count(c.id) FILTER (WHERE c.invalid)::int AS invalid,
              count(c.id) FILTER (WHERE c.frozen_at IS NOT NULL AND c.revealed_at IS NOT NULL)::int AS disputed,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)), 0))::text AS cost_total,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)) FILTER (WHERE c.status IN (${IN(SOLD_STATUSES)})), 0))::text AS cost_sold,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)) FILTER (WHERE c.invalid), 0))::text AS cost_invalid
         FROM card_batch b LEFT JOIN card_code c ON c.batch_id = b.id AND c.deleted_at IS NULL
        WHERE b.id = ANY(?) GROUP BY b.id, b.currency_code`,
      [batchIds]
    )
    for (const r of rows) {
      result[r.id] = {
        counts: {
          available: r.available,
          reserved: r.reserved,
          delivered: r.delivered,
          revealed: r.revealed,
          voided: r.voided,
          expired: r.expired,
        },
        sold: r.delivered + r.revealed,
        invalid: r.invalid,
        disputed: r.disputed,
        currency_code: r.currency_code,
        cost_total: r.cost_total,
        cost_sold: r.cost_sold,
        cost_invalid: r.cost_invalid,
      }
    }
    return result
  }
}

