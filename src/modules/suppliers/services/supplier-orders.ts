import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import type { UpstreamOrderAnswer } from "../adapters/types"
import { SUPPLIER_ORDER_TRANSITIONS, SupplierOrderStatus, SupplierOrderTransition } from "../utils/state-machine"
import { knexOf, SuppliersSqlService } from "../utils/sql"
import { rawMoney } from "../utils/money"

/** A supplier order as the engine and the admin read it (no recipient values). */
export type SupplierOrderRow = {
  id: string
  supplier_id: string
  supplier_product_id: string
  kind: "topup" | "restock" | "pass_through"
  status: SupplierOrderStatus
  order_id: string | null
  line_item_id: string | null
  agent_order_id: string | null
  pool_id: string | null
  batch_id: string | null
  recipient_id: string | null
  recipient_masked: string | null
  upstream_product_id: string
  quantity: number
  amount: string | null
  currency_code: string | null
  max_unit_cost: string | null
  cost: string | null
  upstream_order_no: string | null
  attempts: number
  refund_status: "none" | "refunding" | "refunded"
  submitted_at: Date | null
  settled_at: Date | null
  failure_reason: string | null
  last_error: string | null
}

/** One line of the suppliers' margin report: money as decimal text. */
export type SupplierMarginRow = {
  supplier_id: string
  supplier_product_id: string
  name: string
  kind: "topup" | "restock" | "pass_through"
  currency_code: string | null
  orders: number
  succeeded: number
  failed: number
  unknown: number
  refunded: number
  /** What buyers paid for succeeded top-ups. */
  revenue: string
  /** What the suppliers charged for succeeded orders (top-ups and restocks). */
  cost: string
  /** Revenue minus cost of the succeeded top-ups (restocked codes earn through the vault's sales report). */
  margin: string
}

export type NewSupplierOrder = {
  supplier_id: string
  supplier_product_id: string
  kind: SupplierOrderRow["kind"]
  upstream_product_id: string
  quantity: number
  order_id?: string | null
  line_item_id?: string | null
  agent_order_id?: string | null
  pool_id?: string | null
  recipient_id?: string | null
  recipient_masked?: string | null
  amount?: string | null
  currency_code?: string | null
  max_unit_cost?: string | null
}

export type SupplierOrderEventInput = {
  kind: "submit" | "query" | "callback" | "cancel" | "admin" | "refund" | "price_guard" | "late_callback"
  outcome: string
  from_status?: string | null
  to_status?: string | null
  http_status?: number | null
  reason?: string | null
  answer?: unknown
  actor?: string | null
}

const ORDER_COLUMNS = [
  "id", "supplier_id", "supplier_product_id", "kind", "status", "order_id", "line_item_id", "agent_order_id", "pool_id",
  "recipient_id", "recipient_masked", "upstream_product_id", "quantity", "amount", "currency_code", "max_unit_cost", "cost",
  "upstream_order_no", "attempts", "refund_status", "submitted_at", "settled_at", "failure_reason", "last_error", "batch_id",
]

const toRow = (r: Record<string, unknown>): SupplierOrderRow =>
  ({
    ...r,
    quantity: Number(r.quantity),
    attempts: Number(r.attempts),
    amount: r.amount == null ? null : String(r.amount),
    max_unit_cost: r.max_unit_cost == null ? null : String(r.max_unit_cost),
    cost: r.cost == null ? null : String(r.cost),
  }) as SupplierOrderRow

const fromOf = (t: SupplierOrderTransition): string[] => [...SUPPLIER_ORDER_TRANSITIONS[t].from]

/**
 * Supplier orders and their state machine. Every change is one conditional UPDATE whose `WHERE status IN (…)` comes
 * from utils/state-machine.ts, so a callback racing a poll or a recovery moves an order once; every exchange is an event.
 */
export default class SupplierOrdersService extends SuppliersSqlService {
  /** Creates orders, once per (kind, line item): a second call answers the existing ones. */
  @InjectTransactionManager()
  async createOrders(input: NewSupplierOrder[], @MedusaContext() ctx: Context = {}): Promise<{ id: string; line_item_id: string | null; created: boolean }[]> {
    const knex = knexOf(ctx)
    const out: { id: string; line_item_id: string | null; created: boolean }[] = []
    for (const o of input) {
      const id = generateEntityId(undefined, "supo")
      const { rows } = await knex.raw(
        `INSERT INTO supplier_order (id, supplier_id, supplier_product_id, kind, status, order_id, line_item_id, agent_order_id, pool_id,
           recipient_id, recipient_masked, upstream_product_id, quantity, amount, raw_amount, currency_code, max_unit_cost, raw_max_unit_cost,
           attempts, refund_status, next_check_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'none', now(), now(), now())
         ON CONFLICT (kind, line_item_id) WHERE line_item_id IS NOT NULL AND deleted_at IS NULL DO NOTHING
         RETURNING id`,
        [
          id, o.supplier_id, o.supplier_product_id, o.kind, o.order_id ?? null, o.line_item_id ?? null, o.agent_order_id ?? null,
          o.pool_id ?? null, o.recipient_id ?? null, o.recipient_masked ?? null, o.upstream_product_id, o.quantity,
          o.amount ?? null, rawMoney(o.amount), o.currency_code ?? null, o.max_unit_cost ?? null, rawMoney(o.max_unit_cost),
        ]
      )
      if (rows.length) {
        out.push({ id: rows[0].id, line_item_id: o.line_item_id ?? null, created: true })
      } else {
        const existing = await knex("supplier_order").select("id").where({ kind: o.kind, line_item_id: o.line_item_id }).whereNull("deleted_at").first()
        out.push({ id: existing.id, line_item_id: o.line_item_id ?? null, created: false })
      }
    }
    return out
  }

  /**
   * Creates a pool's restock order unless one is open for the pool (a unique index: two runs of the job cannot both
   * create one). Answers its id, or null when another is open.
   */
  @InjectTransactionManager()
  async createRestockOrder(input: NewSupplierOrder & { pool_id: string }, @MedusaContext() ctx: Context = {}): Promise<string | null> {
    const { rows } = await knexOf(ctx).raw(
      `INSERT INTO supplier_order (id, supplier_id, supplier_product_id, kind, status, pool_id, upstream_product_id, quantity, amount, raw_amount,
         currency_code, max_unit_cost, raw_max_unit_cost, attempts, refund_status, next_check_at, created_at, updated_at)
       VALUES (?, ?, ?, 'restock', 'pending', ?, ?, ?, ?, ?, ?, ?, ?, 0, 'none', now(), now(), now())
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        generateEntityId(undefined, "supo"), input.supplier_id, input.supplier_product_id, input.pool_id, input.upstream_product_id, input.quantity,
        input.amount ?? null, rawMoney(input.amount), input.currency_code ?? null, input.max_unit_cost ?? null, rawMoney(input.max_unit_cost),
      ]
    )
    return rows[0]?.id ?? null
  }

  /**
   * What a product's restocks took today (UTC) — codes and money, counting every restock not failed (a cost not yet
   * known counts at its budgeted amount) — for the daily cap and budget.
   */
  @InjectManager()
  async restockedToday(supplierProductId: string, @MedusaContext() ctx: Context = {}): Promise<{ quantity: number; spent: string }> {
    const { rows } = await knexOf(ctx).raw(
      `SELECT coalesce(sum(quantity), 0)::int AS quantity, coalesce(sum(coalesce(cost, amount, 0)), 0)::text AS spent
         FROM supplier_order
        WHERE supplier_product_id = ? AND kind = 'restock' AND status <> 'failed' AND deleted_at IS NULL
          AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [supplierProductId]
    )
    return { quantity: Number(rows[0].quantity), spent: String(rows[0].spent) }
  }

  @InjectManager()
  async retrieveOrder(id: string, @MedusaContext() ctx: Context = {}): Promise<SupplierOrderRow> {
    const row = await knexOf(ctx)("supplier_order").select(ORDER_COLUMNS).where({ id }).whereNull("deleted_at").first()
    if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Supplier order with id: ${id} was not found`)
    return toRow(row)
  }

  /**
   * Takes an order for a submission: a pending one, or one left `submitting` by a process that died (its lease ran
   * out), while attempts remain. Answers the row (attempts counted) or null when another process has it or it is done.
   */
  @InjectTransactionManager()
  async claimForSubmission(id: string, @MedusaContext() ctx: Context = {}): Promise<SupplierOrderRow | null> {
    const knex = knexOf(ctx)
    const { rows } = await knex.raw(
      `UPDATE supplier_order o SET status = ?, attempts = o.attempts + 1, lease_until = now() + make_interval(secs => ?),
              submitted_at = coalesce(o.submitted_at, now()), updated_at = now()
         FROM supplier s
        WHERE o.id = ? AND o.deleted_at IS NULL AND s.id = o.supplier_id AND o.attempts < s.max_attempts
          AND o.status = ANY(?) AND (o.status = 'pending' OR o.lease_until IS NULL OR o.lease_until < now())
          AND o.refund_status = 'none'
        RETURNING ${ORDER_COLUMNS.map((c) => `o.${c}`).join(", ")}`,
      [SUPPLIER_ORDER_TRANSITIONS.claim.to, this.options_.submit_lease_seconds, id, fromOf("claim")]
    )
    return rows.length ? toRow(rows[0]) : null
  }

  /**
   * Moves an order by what a supplier said (or an admin decided), if the state machine allows it from where the order
   * is: one conditional UPDATE. The event is recorded either way, with `changed` telling whether it moved the order.
   */
  @InjectTransactionManager()
  async applyTransition(
    input: {
      id: string
      transition: SupplierOrderTransition
      answer?: Pick<UpstreamOrderAnswer, "upstream_order_no" | "total_cost" | "reason"> | null
      event: SupplierOrderEventInput
      /** Seconds until the next query (accepted orders), default the supplier's poll interval. */
      next_check_seconds?: number | null
      resolution?: { note: string; actor: string } | null
      /** The vault's batch the order's codes were imported as (restocks). */
      batch_id?: string | null
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ changed: boolean; from: SupplierOrderStatus; to: SupplierOrderStatus; order: SupplierOrderRow }> {
    const knex = knexOf(ctx)
    const current = await knex("supplier_order").select("status").where({ id: input.id }).whereNull("deleted_at").first()
    if (!current) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Supplier order with id: ${input.id} was not found`)
    const to = SUPPLIER_ORDER_TRANSITIONS[input.transition].to
    const final = to === "succeeded" || to === "failed"
    const cost = input.answer?.total_cost ?? null
    const { rows } = await knex.raw(
      `UPDATE supplier_order o SET status = ?,
              upstream_order_no = coalesce(?, o.upstream_order_no),
              cost = coalesce(?::numeric, o.cost), raw_cost = coalesce(?::jsonb, o.raw_cost),
              failure_reason = CASE WHEN ? = 'failed' THEN ? ELSE o.failure_reason END,
              settled_at = CASE WHEN ? THEN now() ELSE NULL END,
              lease_until = NULL,
              attempts = CASE WHEN ? = 'pending' THEN 0 ELSE o.attempts END,
              next_check_at = CASE WHEN ? THEN NULL ELSE now() + make_interval(secs => coalesce(?::int, s.poll_interval_seconds)) END,
              resolution = coalesce(?, o.resolution), resolved_by = coalesce(?, o.resolved_by),
              batch_id = coalesce(?, o.batch_id),
              updated_at = now()
         FROM supplier s
        WHERE o.id = ? AND s.id = o.supplier_id AND o.deleted_at IS NULL AND o.status = ANY(?)
        RETURNING o.status`,
      [
        to, input.answer?.upstream_order_no ?? null, cost, rawMoney(cost), to, (input.answer?.reason ?? input.event.reason ?? null)?.slice(0, 500) ?? null,
        final, to, final, input.next_check_seconds ?? null, input.resolution?.note?.slice(0, 500) ?? null, input.resolution?.actor ?? null,
        input.batch_id ?? null, input.id, fromOf(input.transition),
      ]
    )
    const changed = rows.length > 0
    await this.insertEvent(knex, input.id, { ...input.event, from_status: current.status, to_status: changed ? to : current.status })
    const order = await this.retrieveOrder(input.id, ctx)
    return { changed, from: current.status, to: order.status, order }
  }

  /**
   * An answer that is not final (a timeout, a 5xx, accepted-still-running): the order keeps its state, its lease is
   * released and it is queried again after the poll interval (or `next_check_seconds`). Recorded as an event.
   */
  @InjectTransactionManager()
  async recordInconclusive(
    input: { id: string; event: SupplierOrderEventInput; next_check_seconds?: number | null; upstream_order_no?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<SupplierOrderRow> {
    const knex = knexOf(ctx)
    const current = await knex("supplier_order").select("status").where({ id: input.id }).first()
    await knex.raw(
      `UPDATE supplier_order o SET lease_until = NULL, last_error = ?, upstream_order_no = coalesce(?, o.upstream_order_no),
              next_check_at = now() + make_interval(secs => coalesce(?::int, s.poll_interval_seconds)), updated_at = now()
         FROM supplier s WHERE o.id = ? AND s.id = o.supplier_id AND o.status IN ('submitting', 'accepted', 'unknown')`,
      [(input.event.reason ?? input.event.outcome).slice(0, 500), input.upstream_order_no ?? null, input.next_check_seconds ?? null, input.id]
    )
    await this.insertEvent(knex, input.id, { ...input.event, from_status: current?.status ?? null, to_status: current?.status ?? null })
    return this.retrieveOrder(input.id, ctx)
  }

  /** Records an exchange or a decision about an order without changing it (a late callback, a price-guard check). */
  @InjectTransactionManager()
  async recordEvent(id: string, event: SupplierOrderEventInput, @MedusaContext() ctx: Context = {}): Promise<void> {
    await this.insertEvent(knexOf(ctx), id, event)
  }

  private async insertEvent(knex: ReturnType<typeof knexOf>, id: string, e: SupplierOrderEventInput): Promise<void> {
    await knex("supplier_order_event").insert({
      id: generateEntityId(undefined, "supoev"),
      supplier_order_id: id,
      kind: e.kind,
      outcome: e.outcome.slice(0, 100),
      from_status: e.from_status ?? null,
      to_status: e.to_status ?? null,
      http_status: e.http_status ?? null,
      reason: e.reason?.slice(0, 500) ?? null,
      answer: e.answer === undefined || e.answer === null ? null : JSON.stringify(e.answer),
      actor: e.actor ?? null,
    })
  }

  /** Orders to query now: submitted or accepted, not leased, whose next check is due. */
  @InjectManager()
  async listDueForQuery(limit: number, @MedusaContext() ctx: Context = {}): Promise<SupplierOrderRow[]> {
    const rows = await knexOf(ctx)("supplier_order")
      .select(ORDER_COLUMNS)
      .whereIn("status", ["submitting", "accepted"])
      .where((q) => q.whereNull("lease_until").orWhere("lease_until", "<", knexOf(ctx).fn.now()))
      .where("next_check_at", "<=", knexOf(ctx).fn.now())
      .whereNull("deleted_at")
      .orderBy("next_check_at", "asc")
      .limit(limit)
    return rows.map(toRow)
  }

  /** Pending orders older than `seconds` (their submission never started: an event lost, a process gone). */
  @InjectManager()
  async listStalePending(seconds: number, limit: number, @MedusaContext() ctx: Context = {}): Promise<SupplierOrderRow[]> {
    const knex = knexOf(ctx)
    const rows = await knex("supplier_order")
      .select(ORDER_COLUMNS)
      .where({ status: "pending" })
      .where("created_at", "<", knex.raw("now() - make_interval(secs => ?)", [seconds]))
      .whereNull("deleted_at")
      .orderBy("created_at", "asc")
      .limit(limit)
    return rows.map(toRow)
  }

  /** Submitted or accepted orders past the window without a final answer: they go to the admins' queue (`unknown`). */
  @InjectManager()
  async listPastWindow(limit: number, @MedusaContext() ctx: Context = {}): Promise<SupplierOrderRow[]> {
    const knex = knexOf(ctx)
    const rows = await knex("supplier_order")
      .select(ORDER_COLUMNS)
      .whereIn("status", ["submitting", "accepted"])
      .where("submitted_at", "<", knex.raw("now() - make_interval(secs => ?)", [this.options_.unknown_after_seconds]))
      .where((q) => q.whereNull("lease_until").orWhere("lease_until", "<", knex.fn.now()))
      .whereNull("deleted_at")
      .limit(limit)
    return rows.map(toRow)
  }

  /**
   * The refund's claim, exactly once: a failed order not yet refunded becomes `refunding` (one conditional UPDATE);
   * `finishRefund` records it done. An order left `refunding` by a process that died is found by `listRefunding`.
   */
  @InjectTransactionManager()
  async claimRefund(id: string, @MedusaContext() ctx: Context = {}): Promise<SupplierOrderRow | null> {
    const { rows } = await knexOf(ctx).raw(
      `UPDATE supplier_order SET refund_status = 'refunding', updated_at = now()
        WHERE id = ? AND status = 'failed' AND refund_status = 'none' AND deleted_at IS NULL
        RETURNING ${ORDER_COLUMNS.join(", ")}`,
      [id]
    )
    return rows.length ? toRow(rows[0]) : null
  }

  /** Undoes a refund claim whose refund did not happen (the workflow's compensation). */
  @InjectTransactionManager()
  async releaseRefundClaim(id: string, @MedusaContext() ctx: Context = {}): Promise<void> {
    await knexOf(ctx)("supplier_order").where({ id, refund_status: "refunding" }).update({ refund_status: "none", updated_at: knexOf(ctx).fn.now() })
  }

  @InjectTransactionManager()
  async finishRefund(id: string, @MedusaContext() ctx: Context = {}): Promise<boolean> {
    const knex = knexOf(ctx)
    const n = await knex("supplier_order").where({ id }).whereIn("refund_status", ["refunding"]).update({ refund_status: "refunded", refunded_at: knex.fn.now(), updated_at: knex.fn.now() })
    return n > 0
  }

  /** Failed orders of a Medusa order (or an agent's wholesale order) whose refund is due: not yet claimed, or claimed by a process that died more than `seconds` ago. */
  @InjectManager()
  async listRefundsDue(seconds: number, limit: number, @MedusaContext() ctx: Context = {}): Promise<SupplierOrderRow[]> {
    const knex = knexOf(ctx)
    const rows = await knex("supplier_order")
      .select(ORDER_COLUMNS)
      .where({ status: "failed" })
      // A Medusa order's line (refunded through its payment), or an agent's wholesale top-up (through its ledger).
      .where((q) => q.whereNotNull("order_id").orWhere((a) => a.where({ kind: "topup" }).whereNotNull("agent_order_id")))
      .where((q) =>
        q.where({ refund_status: "none" }).orWhere((r) => r.where({ refund_status: "refunding" }).where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [seconds])))
      )
      .whereNull("deleted_at")
      .limit(limit)
    return rows.map(toRow)
  }

  /**
   * What suppliers cost and earned per product between two dates: orders, outcomes, refunds, the revenue of succeeded
   * top-ups, what the suppliers charged and the margin — money as decimal text, summed in SQL.
   */
  @InjectManager()
  async marginReport(input: { from: Date; to: Date }, @MedusaContext() ctx: Context = {}): Promise<SupplierMarginRow[]> {
    const { rows } = await knexOf(ctx).raw(
      `SELECT o.supplier_id, o.supplier_product_id, p.name, o.kind, o.currency_code,
              count(*)::int AS orders,
              count(*) FILTER (WHERE o.status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE o.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE o.status = 'unknown')::int AS unknown,
              count(*) FILTER (WHERE o.refund_status = 'refunded')::int AS refunded,
              coalesce(sum(o.amount) FILTER (WHERE o.kind = 'topup' AND o.status = 'succeeded'), 0)::text AS revenue,
              coalesce(sum(o.cost) FILTER (WHERE o.status = 'succeeded'), 0)::text AS cost,
              (coalesce(sum(o.amount) FILTER (WHERE o.kind = 'topup' AND o.status = 'succeeded'), 0)
                 - coalesce(sum(o.cost) FILTER (WHERE o.kind = 'topup' AND o.status = 'succeeded'), 0))::text AS margin
         FROM supplier_order o JOIN supplier_product p ON p.id = o.supplier_product_id
        WHERE o.created_at >= ? AND o.created_at < ? AND o.deleted_at IS NULL
        GROUP BY o.supplier_id, o.supplier_product_id, p.name, o.kind, o.currency_code
        ORDER BY p.name, o.kind, o.currency_code`,
      [input.from, input.to]
    )
    return rows as SupplierMarginRow[]
  }
}
