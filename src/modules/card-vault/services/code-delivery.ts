import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { CardCodeTransitions, sourcesOf, CardCodeStatus, SOLD_STATUSES } from "../utils/state-machine"
import { VaultSqlService, IN, type Knex } from "../utils/sql"
import { claimStatement } from "../utils/allocation-sql"
import { assertNotFrozen } from "../utils/freeze"
import { restock } from "../utils/restock"
import type { AllocationOrder } from "../types"
import type { CardActor, CardReissue } from "../types"

/**
 * Delivery: an order's codes (reserved at checkout or claimed now), its delivery record (delivered, held, returned),
 * returns and refunds back to stock or void, reissues of invalid codes and resends.
 */
export default class CodeDeliveryService extends VaultSqlService {
  /**
   * Delivers an order's codes exactly once per line: codes the order already has count; missing ones come from
   * the cart's reservation, then (if a reservation was swept) from available stock. All or nothing. Running it
   * again returns the same codes. A code a payment dispute's freeze voided still holds its place on the line until a
   * reissue replaces it, so running it again during or after a dispute delivers nothing more.
   *
   * A line marked `procurable` (its pool buys from a supplier at delivery) is not a shortage: it keeps what it could
   * take and is answered in `short` with how many it still misses, for the codes bought for it later (imported
   * reserved under the same key, and delivered by a later run). `held` counts each line's codes after the run.
   *
   * A line with `picked_code_id` (buyer's choice, quantity 1) is delivered first and gets that code: reserved for the
   * cart, or claimed again if it went back to stock; if it is gone, the line is short like any other.
   */
  @InjectTransactionManager()
  async deliverOrder(
    input: {
      order_id: string
      cart_id?: string | null
      lines: { line_item_id: string; pool_id: string; quantity: number; procurable?: boolean; bundle?: boolean; picked_code_id?: string | null }[]
      actor?: CardActor
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<{
    code_ids: string[]
    delivered_now: string[]
    short: { line_item_id: string; pool_id: string; missing: number }[]
    held: Record<string, number>
  }> {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    const cartKey = input.cart_id ?? `order:${input.order_id}`
    // A reserved code that expired while the order was being paid is not sold: it becomes expired and the line
    // takes a fresh code from stock instead.
    await knex.raw(
      `UPDATE card_code SET status = '${CardCodeTransitions.expire.to}', updated_at = now()
        WHERE cart_id = ? AND status = '${CardCodeStatus.RESERVED}' AND order_id IS NULL AND expires_at <= now()`,
      [cartKey]
    )
    const orders = await this.allocationOrders_(knex, input.lines.map((l) => l.pool_id))
    const deliveredNow: string[] = []
    const shortages: string[] = []
    const short: { line_item_id: string; pool_id: string; missing: number }[] = []
    const held: Record<string, number> = {}
    // Picked codes first: no other line of their pool takes them from the cart's reservation.
    const lines = [...input.lines].sort((a, b) => Number(!!b.picked_code_id) - Number(!!a.picked_code_id))
    for (const line of lines) {
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Quantity of line ${line.line_item_id} must be a positive integer`)
      }
      // A bundle's line holds codes of several pools: each component counts its own pool's.
      const row = await knex("card_code")
        .count({ n: "*" })
        .where({ order_id: input.order_id, line_item_id: line.line_item_id, ...(line.bundle ? { pool_id: line.pool_id } : {}) })
        .where((q) =>
          q
            .whereIn("status", SOLD_STATUSES)
            .orWhere((voided) => voided.where("status", CardCodeTransitions.void.to).whereNotNull("freeze_reference").whereNull("revealed_at"))
        )
        .first()
      let need = line.quantity - Number(row?.n ?? 0)
      held[line.line_item_id] = (held[line.line_item_id] ?? 0) + line.quantity - Math.max(need, 0)
      if (need <= 0) continue
      if (line.picked_code_id) await this.claimPicked_(knex, line.pool_id, line.picked_code_id, cartKey)
      let ids = await this.deliverReserved_(knex, input.order_id, line, cartKey, need)
      need -= ids.length
      // A picked line takes its own code or nothing: another code is not what was paid for.
      if (need > 0 && !line.picked_code_id) {
        await this.claim_(knex, line.pool_id, need, cartKey, orders.get(line.pool_id) ?? "fifo")
        const more = await this.deliverReserved_(knex, input.order_id, line, cartKey, need)
        ids = ids.concat(more)
        need -= more.length
      }
      deliveredNow.push(...ids)
      held[line.line_item_id] += ids.length
      if (need > 0 && line.procurable) short.push({ line_item_id: line.line_item_id, pool_id: line.pool_id, missing: need })
      else if (need > 0) shortages.push(`line ${line.line_item_id} needs ${need} more from pool ${line.pool_id}`)
    }
    if (shortages.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Out of stock while delivering order ${input.order_id}: ${shortages.join("; ")}`
      )
    }
    if (deliveredNow.length) {
      await this.audit_(knex, {
        action: "deliver",
        actor: input.actor ?? { type: "system" },
        order_id: input.order_id,
        cart_id: input.cart_id ?? null,
        code_ids: deliveredNow,
      })
    }
    await this.setDeliveryStatus_(knex, input.order_id, "delivered", null)
    const all = await knex("card_code")
      .select("id")
      .where({ order_id: input.order_id })
      .whereIn("status", SOLD_STATUSES)
      .orderBy("id")
    return { code_ids: all.map((r: { id: string }) => r.id), delivered_now: deliveredNow, short, held }
  }

  /**
   * Claims up to `limit` available codes for `cartKey` (delivery of a swept reservation, reissue) with the single claim
   * statement, in the pool's allocation order. Expired codes are never taken, even before the expiry job ran.
   */
  private async claim_(knex: Knex, poolId: string, limit: number, cartKey: string, order: AllocationOrder): Promise<string[]> {
    if (!Number.isInteger(limit) || limit <= 0) return []
    const { rows } = await knex.raw(claimStatement(order), [poolId, limit, cartKey])
    return rows.map((r: { id: string }) => r.id)
  }

  private async allocationOrders_(knex: Knex, poolIds: string[]): Promise<Map<string, AllocationOrder>> {
    const rows = await knex("card_pool").select("id", "allocation_order").whereIn("id", [...new Set(poolIds)])
    return new Map(rows.map((r: { id: string; allocation_order: AllocationOrder }) => [r.id, r.allocation_order]))
  }

  /** A picked code that went back to stock (a swept reservation) is reserved for the cart again, if still there. */
  private async claimPicked_(knex: Knex, poolId: string, codeId: string, cartKey: string): Promise<void> {
    await knex.raw(
      `UPDATE card_code SET status = '${CardCodeTransitions.reserve.to}', cart_id = ?, reserved_at = now(), updated_at = now()
        WHERE id = ? AND pool_id = ? AND status IN (${IN(sourcesOf("reserve"))}) AND deleted_at IS NULL
          AND (expires_at IS NULL OR expires_at > now())`,
      [cartKey, codeId, poolId]
    )
  }

  /** Delivers up to `limit` of the codes reserved for the cart in the line's pool; a picked line only its code. */
  private async deliverReserved_(
    knex: Knex,
    orderId: string,
    line: { line_item_id: string; pool_id: string; picked_code_id?: string | null },
    cartKey: string,
    limit: number
  ): Promise<string[]> {
    const from = sourcesOf("deliver")
    const { rows } = await knex.raw(
      `WITH c AS (
         SELECT id FROM card_code
          WHERE cart_id = ? AND pool_id = ? AND status IN (${IN(from)}) AND order_id IS NULL AND deleted_at IS NULL
            AND (expires_at IS NULL OR expires_at > now())${line.picked_code_id ? " AND id = ?" : ""}
          ORDER BY id LIMIT ? FOR UPDATE)
       UPDATE card_code cc
          SET status = '${CardCodeTransitions.deliver.to}', order_id = ?, line_item_id = ?,
              delivered_at = now(), updated_at = now()
         FROM c WHERE cc.id = c.id
       RETURNING cc.id`,
      [cartKey, line.pool_id, ...(line.picked_code_id ? [line.picked_code_id] : []), limit, orderId, line.line_item_id]
    )
    return rows.map((r: { id: string }) => r.id)
  }

  /** Compensation of a delivery: the given codes of the order go back to the cart's reservation. */
  @InjectTransactionManager()
  async undeliverCodes(
    input: { order_id: string; code_ids: string[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_ids: string[] }> {
    if (!input.code_ids.length) return { code_ids: [] }
    const knex = this.knex_(ctx)
    const rows = await knex("card_code")
      .where({ order_id: input.order_id })
      .whereIn("id", input.code_ids)
      .whereIn("status", sourcesOf("undeliver"))
      .update({
        status: CardCodeTransitions.undeliver.to,
        order_id: null,
        line_item_id: null,
        delivered_at: null,
        cart_id: knex.raw("coalesce(cart_id, ?)", [`order:${input.order_id}`]),
        updated_at: knex.fn.now(),
      })
      .returning("id")
    const ids = rows.map((r: { id: string }) => r.id)
    if (ids.length) {
      await this.audit_(knex, {
        action: "undeliver",
        actor: { type: "system" },
        order_id: input.order_id,
        code_ids: ids,
        reason: "delivery workflow rolled back",
      })
    }
    return { code_ids: ids }
  }

  /**
   * After a refund or cancellation: delivered codes that were never revealed go back to stock, revealed ones
   * are voided for good, and codes still reserved for the order's cart are released.
   */
  @InjectTransactionManager()
  async returnOrderCodes(
    input: { order_id: string; cart_id?: string | null; reason: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ restocked: string[]; voided: string[]; released: string[] }> {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id)
    const restocked = ids(
      await restock(knex, knex("card_code").where({ order_id: input.order_id }))
    )
    const voided = ids(
      await knex("card_code")
        .where({ order_id: input.order_id })
        .whereIn("status", sourcesOf("void"))
        .update({
          status: CardCodeTransitions.void.to,
          voided_at: knex.fn.now(),
          void_reason: input.reason,
          updated_at: knex.fn.now(),
        })
        .returning("id")
    )
    let released: string[] = []
    if (input.cart_id) {
      released = ids(
        await knex("card_code")
          .where({ cart_id: input.cart_id })
          .whereNull("order_id")
          .whereIn("status", sourcesOf("release"))
          .update({ status: CardCodeTransitions.release.to, cart_id: null, reserved_at: null, updated_at: knex.fn.now() })
          .returning("id")
      )
    }
    await this.setDeliveryStatus_(knex, input.order_id, "returned", null)
    if (restocked.length || voided.length || released.length) {
      await this.audit_(knex, {
        action: "refund",
        actor: input.actor ?? { type: "system" },
        order_id: input.order_id,
        cart_id: input.cart_id ?? null,
        code_ids: [...restocked, ...voided, ...released],
        reason: input.reason,
        details: { restocked: restocked.length, voided: voided.length, released: released.length },
      })
    }
    return { restocked, voided, released }
  }

  /**
   * Records an order's delivery state; returns the state it has afterwards. `returned` is final, and a hold never
   * replaces `delivered` (a duplicate delivery run that fails — a lock timeout under load — leaves a delivered order
   * delivered).
   */
  private async setDeliveryStatus_(
    knex: Knex,
    orderId: string,
    status: "delivered" | "held" | "returned",
    error: string | null
  ): Promise<"delivered" | "held" | "returned"> {
    const { rows } = await knex.raw(
      `INSERT INTO card_delivery (id, order_id, status, attempts, last_error, delivered_at)
       VALUES (?, ?, ?, 1, ?, CASE WHEN ? = 'delivered' THEN now() END)
       ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
         status = CASE
           WHEN card_delivery.status = 'returned' THEN 'returned'
           WHEN card_delivery.status = 'delivered' AND EXCLUDED.status = 'held' THEN 'delivered'
           ELSE EXCLUDED.status END,
         attempts = card_delivery.attempts + CASE WHEN card_delivery.status = 'held' OR EXCLUDED.status = 'held' THEN 1 ELSE 0 END,
         last_error = CASE WHEN card_delivery.status = 'delivered' AND EXCLUDED.status = 'held' THEN card_delivery.last_error ELSE EXCLUDED.last_error END,
         delivered_at = coalesce(card_delivery.delivered_at, EXCLUDED.delivered_at),
         updated_at = now()
       RETURNING status`,
      [generateEntityId(undefined, "cdeliv"), orderId, status, error, status]
    )
    return rows[0].status
  }

  /**
   * Records that an order's delivery could not complete (out of stock, a failing step). The sweep job retries
   * held orders; admins see them with the reason. An order already delivered (a duplicate run failed) or whose codes
   * came back stays as it is: `held` false, nothing audited.
   */
  @InjectTransactionManager()
  async holdDelivery(input: { order_id: string; reason: string }, @MedusaContext() ctx: Context = {}): Promise<{ held: boolean }> {
    const knex = this.knex_(ctx)
    const status = await this.setDeliveryStatus_(knex, input.order_id, "held", input.reason.slice(0, 1000))
    if (status !== "held") return { held: false }
    await this.audit_(knex, { action: "hold", actor: { type: "system" }, order_id: input.order_id, reason: input.reason.slice(0, 1000) })
    return { held: true }
  }

  /** Orders whose delivery is held and was last tried more than `olderThanSeconds` ago. */
  @InjectManager()
  async listHeldDeliveries(olderThanSeconds: number, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    const knex = this.knex_(ctx)
    const rows = await knex("card_delivery")
      .select("order_id")
      .where("status", "held")
      .whereNull("deleted_at")
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .orderBy("updated_at")
      .limit(200)
    return rows.map((r: { order_id: string }) => r.order_id)
  }

  /**
   * Void & reissue (作废重发): a delivered code reported not to work is voided and counted as invalid against its
   * batch, and a fresh code from the same pool is delivered to the same order line — in one transaction, so either
   * both happen or neither (no stock: nothing is voided). Audited with the reason.
   *
   * A code a payment dispute's freeze voided (never revealed, so still good) is, once the dispute is won, replaced
   * instead: it is not voided again nor counted invalid; a fresh code is delivered to its line and the code leaves the
   * list `unfreezeOrderCodes` returns (`freeze_reference` in the result). While the order's codes are frozen, nothing
   * is reissued (NOT_ALLOWED, "These codes are frozen while a payment dispute is open.").
   */
  @InjectTransactionManager()
  async reissueCode(
    input: { code_id: string; reason: string; actor: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<CardReissue> {
    const knex = this.knex_(ctx)
    const code = await knex("card_code").first("id", "order_id", "pool_id").where({ id: input.code_id }).whereNull("deleted_at")
    if (!code) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card code with id: ${input.code_id} was not found`)
    if (!code.order_id) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Card code ${input.code_id} was not delivered to an order: only a delivered code can be reissued`)
    }
    await this.xactLock_(knex, `card-order:${code.order_id}`)
    await assertNotFrozen(knex, { order_ids: [code.order_id] })
    const voidedTo = CardCodeTransitions.void.to
    const disputed = await knex("card_code")
      .first("id", "order_id", "line_item_id", "pool_id", "freeze_reference")
      .where({ id: input.code_id, status: voidedTo, invalid: false })
      .whereNotNull("freeze_reference")
      .whereNull("frozen_at")
      .whereNull("revealed_at")
    if (disputed) {
      await knex("card_code").where({ id: disputed.id }).update({ freeze_reference: null, updated_at: knex.fn.now() })
      const fresh = await this.deliverReplacement_(knex, disputed)
      await this.audit_(knex, {
        action: "reissue",
        actor: input.actor,
        order_id: disputed.order_id,
        pool_id: disputed.pool_id,
        code_ids: [disputed.id, fresh],
        reason: input.reason,
        details: { voided_code_id: disputed.id, reissued_code_id: fresh, invalid: false, freeze_reference: disputed.freeze_reference },
      })
      return {
        order_id: disputed.order_id,
        pool_id: disputed.pool_id,
        voided_code_id: disputed.id,
        code_id: fresh,
        voided_was_revealed: false,
        freeze_reference: disputed.freeze_reference,
      }
    }
    const [old] = await knex("card_code")
      .where({ id: input.code_id })
      .whereIn("status", sourcesOf("void"))
      .update({
        status: CardCodeTransitions.void.to,
        invalid: true,
        voided_at: knex.fn.now(),
        void_reason: input.reason.slice(0, 1000),
        updated_at: knex.fn.now(),
      })
      .returning(["id", "order_id", "line_item_id", "pool_id", "revealed_at"])
    if (!old) {
      const current = await knex("card_code").first("status").where({ id: input.code_id })
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Card code ${input.code_id} is ${current?.status}: only a delivered or revealed code can be voided and reissued`
      )
    }
    const fresh = await this.deliverReplacement_(knex, old)
    await this.audit_(knex, {
      action: "reissue",
      actor: input.actor,
      order_id: old.order_id,
      pool_id: old.pool_id,
      code_ids: [old.id, fresh],
      reason: input.reason,
      details: { voided_code_id: old.id, reissued_code_id: fresh, invalid: true },
    })
    return {
      order_id: old.order_id,
      pool_id: old.pool_id,
      voided_code_id: old.id,
      code_id: fresh,
      voided_was_revealed: !!old.revealed_at,
    }
  }

  /**
   * Delivers one fresh code from the pool of `old` to its order line (a reissue), in the pool's allocation order. No
   * stock: NOT_ALLOWED, and the caller's transaction undoes what it changed.
   */
  private async deliverReplacement_(
    knex: Knex,
    old: { id: string; order_id: string; line_item_id: string; pool_id: string }
  ): Promise<string> {
    const orders = await this.allocationOrders_(knex, [old.pool_id])
    const cartKey = `reissue:${old.id}`
    await this.claim_(knex, old.pool_id, 1, cartKey, orders.get(old.pool_id) ?? "fifo")
    const [fresh] = await this.deliverReserved_(knex, old.order_id, { line_item_id: old.line_item_id, pool_id: old.pool_id }, cartKey, 1)
    if (!fresh) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Out of stock: pool ${old.pool_id} has no code to reissue; nothing was voided. Restock the pool and try again.`
      )
    }
    return fresh
  }

  /**
   * Records an admin's request to send an order's delivery notification again (action `resend`, with the order's
   * delivered codes). Refused when the order has no delivered code. The returned id keys the new notification, so
   * each request sends once.
   */
  @InjectTransactionManager()
  async recordResend(
    input: { order_id: string; actor: CardActor; reason?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ resend_id: string; code_ids: string[] }> {
    const knex = this.knex_(ctx)
    const codes = await knex("card_code")
      .select("id")
      .where({ order_id: input.order_id })
      .whereIn("status", SOLD_STATUSES)
      .whereNull("deleted_at")
      .orderBy("id")
    if (!codes.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${input.order_id} has no delivered codes: there is no delivery notification to send again`
      )
    }
    const codeIds = codes.map((c: { id: string }) => c.id)
    const resendId = await this.audit_(knex, {
      action: "resend",
      actor: input.actor,
      order_id: input.order_id,
      code_ids: codeIds,
      reason: input.reason ?? null,
    })
    return { resend_id: resendId, code_ids: codeIds }
  }

  /** Compensation of `recordResend`: the log is append-only, so a `resend_canceled` entry says it was not sent. */
  @InjectTransactionManager()
  async cancelResend(input: { resend_id: string; order_id: string }, @MedusaContext() ctx: Context = {}) {
    await this.audit_(this.knex_(ctx), {
      action: "resend_canceled",
      actor: { type: "system" },
      order_id: input.order_id,
      details: { resend_id: input.resend_id },
    })
  }

  /**
   * Compensation of `reissueCode`: the fresh code goes back to stock and the voided one back to its order — or, for the
   * replacement of a code a dispute's freeze voided, back to waiting for its replacement (it stays voided).
   */
  @InjectTransactionManager()
  async undoReissue(input: CardReissue, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    await restock(knex, knex("card_code").where({ id: input.code_id, order_id: input.order_id }))
    if (input.freeze_reference) {
      await knex("card_code")
        .where({ id: input.voided_code_id, status: CardCodeTransitions.void.to, invalid: false })
        .whereNull("freeze_reference")
        .update({ freeze_reference: input.freeze_reference, updated_at: knex.fn.now() })
    } else {
      const event = input.voided_was_revealed ? "unvoid_revealed" : "unvoid"
      await knex("card_code")
        .where({ id: input.voided_code_id, invalid: true })
        .whereIn("status", sourcesOf(event))
        .update({ status: CardCodeTransitions[event].to, invalid: false, voided_at: null, void_reason: null, updated_at: knex.fn.now() })
    }
    await this.audit_(knex, {
      action: "reissue_reverted",
      actor: { type: "system" },
      order_id: input.order_id,
      pool_id: input.pool_id,
      code_ids: [input.voided_code_id, input.code_id],
      reason: "reissue workflow rolled back",
    })
  }
}
