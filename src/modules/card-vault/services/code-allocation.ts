import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { CardCodeTransitions, sourcesOf, CardCodeStatus } from "../utils/state-machine"
import { auditActor, sqlStateOf, VaultSqlService, IN, type Knex } from "../utils/sql"
import { OUT_OF_STOCK_SQLSTATE, reservationCall } from "../utils/allocation-sql"
import type { CardActor } from "../types"

/**
 * Allocation: reserving codes for carts (the database function `card_vault_reserve`, see utils/allocation-sql),
 * claiming them for wholesale orders, moving them between owners, releasing stale reservations and expiring codes.
 */
/**
 * The reservation's refusal in the vault's own words ("Out of stock: <pool> (requested n, available m); …"): the
 * driver may put the statement in front of PostgreSQL's message, which must not reach a caller.
 */
function outOfStock(e: unknown): MedusaError {
  const message = e instanceof Error ? e.message : String(e)
  const at = message.indexOf("Out of stock: ")
  return new MedusaError(MedusaError.Types.NOT_ALLOWED, at >= 0 ? message.slice(at) : "Out of stock")
}

export default class CodeAllocationService extends VaultSqlService {
  /**
   * Reserves codes for a cart: per pool a conditional claim (`FOR UPDATE SKIP LOCKED`, in the pool's allocation order).
   * Re-entrant per cart: codes the cart already holds count towards the quantity. Either every pool covers its
   * quantity or nothing is reserved and an out-of-stock error names the pools.
   *
   * The hot path of checkout, so it is one round trip: the database function `card_vault_reserve` (see the migration
   * that defines it) takes the per-cart lock, claims for every pool and writes the `reserve` audit rows, in the
   * implicit transaction of that one statement; a shortage raises and rolls the whole call back.
   */
  // No @InjectManager: it always runs in a transaction of its own and needs no ORM entity manager, only a connection
  // (forking a manager per call costs a noticeable share of a checkout's reservation).
  async reserveForCart(input: {
    cart_id: string
    items: { pool_id: string; quantity: number }[]
    actor?: CardActor
  }): Promise<{ reserved_code_ids: string[] }> {
    const wanted = new Map<string, number>()
    for (const item of input.items) {
      if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Quantity for pool ${item.pool_id} must be a positive integer`)
      }
      wanted.set(item.pool_id, (wanted.get(item.pool_id) ?? 0) + item.quantity)
    }
    if (!wanted.size) return { reserved_code_ids: [] }
    const statement = reservationCall(input.cart_id, wanted, input.actor ?? { type: "system" })
    const knex = this.rootKnex_()
    const conn = await knex.client.acquireConnection()
    try {
      const { rows } = await conn.query(statement)
      return { reserved_code_ids: rows[0].ids }
    } catch (e: unknown) {
      if (sqlStateOf(e) === OUT_OF_STOCK_SQLSTATE) throw outOfStock(e)
      throw e
    } finally {
      await knex.client.releaseConnection(conn)
    }
  }

  /**
   * The codes of a wholesale order, claimed in the caller's transaction (pass its context: the order's quota, ledger
   * posting and agent order commit with them, or nothing does) under the reservation key `key`, all pools or nothing
   * (out of stock → NOT_ALLOWED "Out of stock: …"). Unless `hold`, they are delivered at once to `owner_id` (the agent
   * order: the agent has them from the answer on; `bindOwnerCodes` moves them to its Medusa order later); held codes
   * (a risk review) stay reserved under `key` until an admin approves. Returns code ids, never codes.
   */
  @InjectTransactionManager()
  async claimForOwner(
    input: { key: string; owner_id: string; items: { pool_id: string; quantity: number }[]; hold: boolean; actor: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_ids: string[] }> {
    const wanted = new Map<string, number>()
    for (const item of input.items) {
      if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Quantity for pool ${item.pool_id} must be a positive integer`)
      }
      wanted.set(item.pool_id, (wanted.get(item.pool_id) ?? 0) + item.quantity)
    }
    const knex = this.knex_(ctx)
    const call = reservationCall(input.key, wanted, input.actor)
    const bindings: Knex.RawBinding[] = []
    const text = call.text.replace(/\$(\d+)/g, (_, n: string) => {
      bindings.push(call.values[Number(n) - 1] as Knex.RawBinding)
      return "?"
    })
    let reserved: string[]
    try {
      reserved = (await knex.raw(text, bindings)).rows[0].ids
    } catch (e: unknown) {
      if (sqlStateOf(e) === OUT_OF_STOCK_SQLSTATE) throw outOfStock(e)
      throw e
    }
    if (input.hold || !reserved.length) return { code_ids: reserved }
    // The delivery and its audit row in one statement.
    const { rows } = await knex.raw(
      `WITH d AS (
         UPDATE card_code SET status = '${CardCodeTransitions.deliver.to}', order_id = ?, delivered_at = now(), updated_at = now()
          WHERE cart_id = ? AND status IN (${IN(sourcesOf("deliver"))}) AND order_id IS NULL AND deleted_at IS NULL
          RETURNING id),
       audited AS (
         INSERT INTO card_audit_log (id, action, actor_type, actor_id, ip, user_agent, order_id, cart_id, code_ids, code_count)
         SELECT ?, 'deliver', ?, ?, ?, ?, ?, ?, coalesce((SELECT jsonb_agg(id ORDER BY id) FROM d), '[]'::jsonb), (SELECT count(*) FROM d))
       SELECT id FROM d ORDER BY id`,
      [
        input.owner_id,
        input.key,
        generateEntityId(undefined, "caudit"),
        ...auditActor(input.actor),
        input.owner_id,
        input.key,
      ]
    )
    return { code_ids: rows.map((r: { id: string }) => r.id) }
  }

  /**
   * Moves the codes delivered to `from_owner_id` (a wholesale order answered before its Medusa order existed) to the
   * Medusa order `order_id`, each onto the line of its pool. Status and reveals are kept; running it again moves
   * nothing. Audited as a delivery to the order.
   */
  @InjectTransactionManager()
  async bindOwnerCodes(
    input: { from_owner_id: string; order_id: string; lines: { pool_id: string; line_item_id: string }[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_ids: string[] }> {
    const knex = this.knex_(ctx)
    const moved: string[] = []
    for (const line of input.lines) {
      const { rows } = await knex.raw(
        `UPDATE card_code SET order_id = ?, line_item_id = ?, updated_at = now()
          WHERE order_id = ? AND pool_id = ? AND status IN (${IN(sourcesOf("reveal"))}) AND deleted_at IS NULL
          RETURNING id`,
        [input.order_id, line.line_item_id, input.from_owner_id, line.pool_id]
      )
      moved.push(...rows.map((r: { id: string }) => r.id))
    }
    if (moved.length) {
      await this.audit_(knex, {
        action: "deliver",
        actor: { type: "system" },
        order_id: input.order_id,
        code_ids: moved.sort(),
        details: { agent_order_id: input.from_owner_id },
      })
    }
    return { code_ids: moved }
  }

  /** Compensation of `bindOwnerCodes`: the given codes of `order_id` go back to their first owner, off any line. */
  @InjectTransactionManager()
  async unbindOwnerCodes(input: { order_id: string; to_owner_id: string; code_ids: string[] }, @MedusaContext() ctx: Context = {}) {
    if (!input.code_ids.length) return
    const knex = this.knex_(ctx)
    await knex("card_code")
      .where({ order_id: input.order_id })
      .whereIn("id", input.code_ids)
      .update({ order_id: input.to_owner_id, line_item_id: null, updated_at: knex.fn.now() })
  }

  /** Returns reserved codes to stock: given ids, or everything a cart holds that no order took. */
  @InjectTransactionManager()
  async releaseReservations(
    input: { code_ids?: string[]; cart_id?: string; reason: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ released_code_ids: string[] }> {
    if (!input.code_ids?.length && !input.cart_id) return { released_code_ids: [] }
    const knex = this.knex_(ctx)
    const q = knex("card_code")
      .whereIn("status", sourcesOf("release"))
      .whereNull("order_id")
      .update({
        status: CardCodeTransitions.release.to,
        cart_id: null,
        reserved_at: null,
        updated_at: knex.fn.now(),
      })
      .returning("id")
    if (input.code_ids?.length) q.whereIn("id", input.code_ids)
    if (input.cart_id) q.where("cart_id", input.cart_id)
    const ids = (await q).map((r: { id: string }) => r.id)
    if (ids.length) {
      await this.audit_(knex, {
        action: "release",
        actor: input.actor ?? { type: "system" },
        cart_id: input.cart_id ?? null,
        code_ids: ids,
        reason: input.reason,
      })
    }
    return { released_code_ids: ids }
  }

  /** Carts holding reservations older than `olderThanSeconds` that no order has taken. */
  @InjectManager()
  async listStaleReservations(olderThanSeconds: number, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    const knex = this.knex_(ctx)
    const rows = await knex("card_code")
      .distinct("cart_id")
      .where("status", CardCodeStatus.RESERVED)
      .whereNull("order_id")
      .whereNotNull("cart_id")
      .where("reserved_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .limit(500)
    return rows.map((r: { cart_id: string }) => r.cart_id)
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Expiry, alerts, after-sales and batch reports
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Moves available codes past their expiry date to `expired`, at most `limit` per call (rows being claimed right now
   * are skipped and caught next time). One audit row per pool. Reserved codes are handled where they are used:
   * delivery never hands out an expired code.
   */
  @InjectTransactionManager()
  async expireCodes(
    input: { limit?: number } = {},
    @MedusaContext() ctx: Context = {}
  ): Promise<{ expired: number; by_pool: Record<string, number> }> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `WITH c AS (
         SELECT id FROM card_code
          WHERE status = '${CardCodeStatus.AVAILABLE}' AND expires_at <= now() AND deleted_at IS NULL
          LIMIT ? FOR UPDATE SKIP LOCKED)
       UPDATE card_code cc SET status = '${CardCodeTransitions.expire.to}', updated_at = now()
         FROM c WHERE cc.id = c.id AND cc.status = '${CardCodeStatus.AVAILABLE}'
       RETURNING cc.id, cc.pool_id`,
      [input.limit ?? 10_000]
    )
    const byPool = new Map<string, string[]>()
    for (const r of rows) byPool.set(r.pool_id, [...(byPool.get(r.pool_id) ?? []), r.id])
    for (const [poolId, ids] of byPool) {
      await this.audit_(knex, { action: "expire", actor: { type: "system" }, pool_id: poolId, code_ids: ids })
    }
    return { expired: rows.length, by_pool: Object.fromEntries([...byPool].map(([k, v]) => [k, v.length])) }
  }
}

