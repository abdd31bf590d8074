import { randomBytes } from "crypto"
import type { Context, DAL } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { MedusaError } from "@medusajs/framework/utils"
import type {
  AgentOrderProgress,
  AgentOrderRow,
  CommittedAgentOrderInput,
  CompletedAgentOrderInput,
  StaleAgentOrderRow,
} from "../types"
import { rawAmount } from "../utils/amounts"
import { knexOf } from "../utils/sql"

/** Columns of what the wholesale API shows of an agent order (`total`: numeric, read as its exact decimal text). */
const ORDER_COLUMNS = ["id", "order_id", "display_id", "status", "bookkeeping_status", "currency_code", "total", "items", "created_at", "completed_at"]
const STALE_COLUMNS = ["id", "agent_id", "order_id", "display_id", "currency_code", "total", "items", "agent_chain", "transaction_id", "quota_consumed"]
const PROGRESS_COLUMNS = ["items", "agent_chain", "currency_code", "quota_consumed", "transaction_id", "total", "order_id", "display_id"] as const
const JSON_COLUMNS = new Set(["items", "agent_chain", "quota_consumed"])

/** `total` with the raw form Medusa keeps beside a `bigNumber` column. */
const withRawTotal = (total: string | null) => ({ total, raw_total: total === null ? null : rawAmount(total) })

/**
 * Wholesale orders: the `Idempotency-Key` claim, progress while processing, completion, the recovery of orders cut
 * off by a crash, and the bookkeeping outbox (the Medusa order recorded after the answer) with its lease.
 */
export default class WholesaleOrdersService {
  protected baseRepository_: DAL.RepositoryService

  constructor({ baseRepository }: { baseRepository: DAL.RepositoryService }) {
    this.baseRepository_ = baseRepository
  }

  async beginOrder(input: { agent_id: string; idempotency_key: string; request_hash: string }, ctx: Context): Promise<{ id: string; created: boolean }> {
    const knex = knexOf(ctx)
    const { rows } = await knex.raw<{ rows: { id: string }[] }>(
      `INSERT INTO agent_order (id, agent_id, idempotency_key, request_hash, status)
       VALUES (?, ?, ?, ?, 'processing')
       ON CONFLICT (agent_id, idempotency_key) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [`aord_${randomBytes(12).toString("hex")}`, input.agent_id, input.idempotency_key, input.request_hash]
    )
    if (rows.length) return { id: rows[0].id, created: true }
    const existing = await this.findOrderByKey(input, ctx)
    if (existing && existing.request_hash !== input.request_hash) {
      throw new MedusaError(
        MedusaError.Types.DUPLICATE_ERROR,
        `Idempotency-Key ${JSON.stringify(input.idempotency_key)} was already used with a different request body`
      )
    }
    if (!existing || existing.status !== "completed") {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `A request with Idempotency-Key ${JSON.stringify(input.idempotency_key)} is still being processed: retry once it has finished`
      )
    }
    return { id: existing.id, created: false }
  }

  async abandonOrder(id: string, ctx: Context) {
    await knexOf(ctx)("agent_order").where({ id, status: "processing" }).delete()
  }

  async recordOrderProgress(id: string, progress: AgentOrderProgress, ctx: Context) {
    const knex = knexOf(ctx)
    const changes: Record<string, unknown> = { updated_at: knex.fn.now() }
    for (const column of PROGRESS_COLUMNS) {
      const value = progress[column]
      if (value === undefined) continue
      if (column === "total") Object.assign(changes, withRawTotal(progress.total ?? null))
      else changes[column] = JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value
    }
    await knex("agent_order").where({ id, status: "processing" }).update(changes)
  }

  async listStaleOrders(olderThanSeconds: number, ctx: Context): Promise<string[]> {
    const knex = knexOf(ctx)
    const rows: { id: string }[] = await knex("agent_order")
      .select("id")
      .where({ status: "processing" })
      .whereNull("deleted_at")
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .orderBy("updated_at")
      .limit(100)
    return rows.map((r) => r.id)
  }

  async claimStaleOrder(id: string, olderThanSeconds: number, ctx: Context): Promise<StaleAgentOrderRow | null> {
    const knex = knexOf(ctx)
    const [row]: StaleAgentOrderRow[] = await knex("agent_order")
      .where({ id, status: "processing" })
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .update({ updated_at: knex.fn.now() })
      .returning(STALE_COLUMNS)
    return row ?? null
  }

  async completeOrder(input: CompletedAgentOrderInput, ctx: Context) {
    const knex = knexOf(ctx)
    const updated: { id: string }[] = await knex("agent_order")
      .where({ id: input.id, status: "processing" })
      .update({
        status: "completed",
        order_id: input.order_id,
        display_id: input.display_id,
        currency_code: input.currency_code,
        ...withRawTotal(input.total),
        items: JSON.stringify(input.items),
        agent_chain: JSON.stringify(input.agent_chain),
        transaction_id: input.transaction_id,
        bookkeeping_status: "done",
        bookkept_at: knex.fn.now(),
        completed_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
      .returning("id")
    if (!updated.length) throw new MedusaError(MedusaError.Types.CONFLICT, `Agent order ${input.id} is not being processed`)
  }

  async commitOrder(input: CommittedAgentOrderInput, ctx: Context): Promise<AgentOrderRow> {
    const knex = knexOf(ctx)
    const updated: AgentOrderRow[] = await knex("agent_order")
      .where({ id: input.id, status: "processing" })
      .update({
        status: "completed",
        currency_code: input.currency_code,
        ...withRawTotal(input.total),
        items: JSON.stringify(input.items),
        agent_chain: JSON.stringify(input.agent_chain),
        transaction_id: input.transaction_id,
        quota_consumed: input.quota_consumed ? JSON.stringify(input.quota_consumed) : null,
        bookkeeping_status: "pending",
        completed_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
      .returning(ORDER_COLUMNS)
    if (!updated.length) throw new MedusaError(MedusaError.Types.CONFLICT, `Agent order ${input.id} is not being processed`)
    return updated[0]
  }

  async findOrderByKey(input: { agent_id: string; idempotency_key: string }, ctx: Context): Promise<{ id: string; request_hash: string; status: string } | null> {
    const row = await knexOf(ctx)<{ id: string; request_hash: string; status: string }>("agent_order")
      .first("id", "request_hash", "status")
      .where({ agent_id: input.agent_id, idempotency_key: input.idempotency_key })
      .whereNull("deleted_at")
    return row ?? null
  }

  async findCompletedOrder(input: { id: string; agent_id: string }, ctx: Context): Promise<AgentOrderRow | null> {
    const row: AgentOrderRow | undefined = await knexOf(ctx)("agent_order")
      .first(ORDER_COLUMNS)
      .where({ id: input.id, agent_id: input.agent_id, status: "completed" })
      .whereNull("deleted_at")
    return row ?? null
  }

  /**
   * Runs `work` while this process holds the bookkeeping lease of an order: a session advisory lock on a connection of
   * its own, freed when `work` ends or the connection dies. `{ ran: false }` when another worker holds it.
   */
  async withBookkeepingLease<T>(id: string, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
    const knex = (this.baseRepository_.getFreshManager() as SqlEntityManager).getKnex()
    const conn: LeaseConnection = await knex.client.acquireConnection()
    const key = `agent-order-bookkeeping:${id}`
    try {
      const { rows } = await conn.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [key])
      if (!rows[0].ok) return { ran: false }
      try {
        return { ran: true, result: await work() }
      } finally {
        await conn.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key])
      }
    } finally {
      await knex.client.releaseConnection(conn)
    }
  }

  async pendingBookkeeping(limit: number, ctx: Context): Promise<{ id: string; completed_at: Date }[]> {
    return await knexOf(ctx)("agent_order")
      .select("id", "completed_at")
      .where({ bookkeeping_status: "pending" })
      .whereNull("deleted_at")
      .orderBy([{ column: "created_at" }, { column: "id" }])
      .limit(Math.max(1, Math.min(1000, Math.trunc(limit))))
  }

  async recordBookkeepingOrder(input: { id: string; order_id: string; display_id: number | null }, ctx: Context) {
    const knex = knexOf(ctx)
    await knex("agent_order")
      .where({ id: input.id, bookkeeping_status: "pending" })
      .whereNull("order_id")
      .update({ order_id: input.order_id, display_id: input.display_id, updated_at: knex.fn.now() })
  }

  async forgetBookkeepingOrder(input: { id: string; order_id: string }, ctx: Context) {
    const knex = knexOf(ctx)
    await knex("agent_order")
      .where({ id: input.id, bookkeeping_status: "pending", order_id: input.order_id })
      .update({ order_id: null, display_id: null, updated_at: knex.fn.now() })
  }

  /** Closes a pending bookkeeping whose Medusa order is recorded; false when there was none to close. */
  async finishBookkeeping(id: string, ctx: Context): Promise<boolean> {
    const knex = knexOf(ctx)
    const updated: { id: string }[] = await knex("agent_order")
      .where({ id, bookkeeping_status: "pending" })
      .whereNotNull("order_id")
      .update({ bookkeeping_status: "done", bookkeeping_error: null, bookkept_at: knex.fn.now(), updated_at: knex.fn.now() })
      .returning("id")
    return updated.length > 0
  }

  async failBookkeeping(input: { id: string; error: string }, ctx: Context) {
    const knex = knexOf(ctx)
    await knex("agent_order")
      .where({ id: input.id, bookkeeping_status: "pending" })
      .update({
        bookkeeping_attempts: knex.raw("bookkeeping_attempts + 1"),
        bookkeeping_error: input.error.slice(0, 1000),
        updated_at: knex.fn.now(),
      })
  }
}

/** The node-postgres client a lease holds for its advisory lock. */
type LeaseConnection = { query(sql: string, params: unknown[]): Promise<{ rows: { ok?: boolean }[] }> }
