import type { Context } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { codeAad } from "../utils/crypto"
import { isSafePickLabel, labelSearchPattern, pickLabel } from "../utils/pick-label"
import { VaultSqlService, type Knex } from "../utils/sql"
import { CardCodeStatus, CardCodeTransitions, sourcesOf } from "../utils/state-machine"
import type { CardActor } from "../types"

/** A code a shopper may pick: its id and what the pool's rule shows of it. Never the code. */
export type PickableCode = { id: string; label: string }

/** Labels of codes the rule would give away (fewer than four hidden characters): stored empty, never offered. */
const UNOFFERED = ""

/** The message of a pick that lost its race (or of a code that is gone). */
export const CODE_TAKEN_MESSAGE = "This code was just taken; pick another"

/**
 * Buyer's choice (自选卡密): labels of the codes of pools that offer picking (what the pool's rule lets a shopper see),
 * the list a shopper picks from, and the pick itself — one conditional UPDATE, so of many carts picking one code
 * exactly one gets it. Plaintext is decrypted only to compute labels, inside `labelPickableCodes`; it never leaves
 * this service and is never logged.
 */
export default class CodePicksService extends VaultSqlService {
  /**
   * Labels available codes of pools with picking on (`pick_premium_bp` set) that have none yet, at most `limit` per
   * call, in chunks of short transactions taken with `FOR UPDATE SKIP LOCKED` (a checkout claiming a code is never
   * waited for; it is labelled next time). A code whose label would hide fewer than four characters gets an empty
   * label: it is not offered. In a pool with picking off, labels are cleared. With `relabel` (the pool's rule changed),
   * the pool's labels are cleared first. Answers how many codes were labelled and cleared.
   */
  @InjectManager()
  async labelPickableCodes(
    input: { pool_id?: string; limit: number; relabel?: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ labelled: number; cleared: number }> {
    if (!Number.isInteger(input.limit) || input.limit <= 0 || input.limit > 100_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `limit must be an integer from 1 to 100000, got ${input.limit}`)
    }
    const knex = this.knex_(ctx)
    const pools = knex("card_pool").select("id", "pick_premium_bp", "pick_show_first", "pick_show_last").whereNull("deleted_at")
    if (input.pool_id) pools.where("id", input.pool_id)
    else pools.where((q) => q.whereNotNull("pick_premium_bp").orWhereExists(labelled(knex)))
    const rows: { id: string; pick_premium_bp: number | null; pick_show_first: number; pick_show_last: number }[] = await pools
    let labelledCount = 0
    let cleared = 0
    for (const pool of rows) {
      if (pool.pick_premium_bp === null || input.relabel) cleared += await this.clearLabels_(knex, pool.id)
      if (pool.pick_premium_bp === null) continue
      let after = ""
      while (labelledCount < input.limit) {
        const chunk = Math.min(500, input.limit - labelledCount)
        const done = await knex.transaction(async (trx: Knex) => {
          const { rows: codes } = await trx.raw(
            `SELECT id, key_version, ciphertext FROM card_code
              WHERE pool_id = ? AND status = '${CardCodeStatus.AVAILABLE}' AND pick_label IS NULL AND deleted_at IS NULL AND id > ?
              ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
            [pool.id, after, chunk]
          )
          if (!codes.length) return null
          const ids: string[] = []
          const labels: string[] = []
          for (const c of codes as { id: string; key_version: number; ciphertext: string }[]) {
            const { code } = this.cipher_.decrypt({ key_version: c.key_version, ciphertext: c.ciphertext }, codeAad(c.id, pool.id))
            ids.push(c.id)
            labels.push(isSafePickLabel(code, pool.pick_show_first, pool.pick_show_last) ? pickLabel(code, pool.pick_show_first, pool.pick_show_last) : UNOFFERED)
          }
          await trx.raw(
            `UPDATE card_code c SET pick_label = v.label FROM unnest(?::text[], ?::text[]) AS v(id, label)
              WHERE c.id = v.id AND c.status = '${CardCodeStatus.AVAILABLE}'`,
            [ids, labels]
          )
          return { count: codes.length as number, last: ids[ids.length - 1] }
        })
        if (!done) break
        labelledCount += done.count
        after = done.last
      }
    }
    return { labelled: labelledCount, cleared }
  }

  /** Clears the labels of a pool's codes that are not sold (available, or reserved without an order). */
  private async clearLabels_(knex: Knex, poolId: string): Promise<number> {
    const { rowCount } = await knex.raw(
      `UPDATE card_code SET pick_label = NULL
        WHERE pool_id = ? AND pick_label IS NOT NULL AND order_id IS NULL
          AND status IN ('${CardCodeStatus.AVAILABLE}', '${CardCodeStatus.RESERVED}')`,
      [poolId]
    )
    return rowCount ?? 0
  }

  /**
   * The codes a shopper may pick in a pool: available, unexpired, labelled and offered; `q` keeps those whose label
   * contains it (as typed, case-insensitive, wildcards taken literally). Ids and labels only, in label order.
   */
  @InjectManager()
  async listPickable(
    input: { pool_id: string; q?: string | null; limit: number; offset: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ codes: PickableCode[]; count: number }> {
    if (!Number.isInteger(input.limit) || input.limit <= 0 || input.limit > 200 || !Number.isInteger(input.offset) || input.offset < 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "limit must be an integer from 1 to 200 and offset a non-negative integer")
    }
    const knex = this.knex_(ctx)
    const base = knex("card_code")
      .where({ pool_id: input.pool_id, status: CardCodeStatus.AVAILABLE })
      .whereNotNull("pick_label")
      .whereNot("pick_label", UNOFFERED)
      .whereNull("deleted_at")
      .where((q) => q.whereNull("expires_at").orWhere("expires_at", ">", knex.fn.now()))
    if (input.q) base.whereRaw(`pick_label ILIKE ? ESCAPE '\\'`, [labelSearchPattern(input.q)])
    const [codes, [{ n }]] = await Promise.all([
      base.clone().select("id", "pick_label").orderBy([{ column: "pick_label" }, { column: "id" }]).limit(input.limit).offset(input.offset),
      base.clone().count({ n: "*" }),
    ])
    return { codes: codes.map((c: { id: string; pick_label: string }) => ({ id: c.id, label: c.pick_label })), count: Number(n) }
  }

  /**
   * Reserves the code a shopper picked for their cart: one conditional UPDATE (available, labelled and offered,
   * unexpired, of the pool), so of carts picking the same code at once exactly one wins. Idempotent: a code already
   * reserved for (or sold to) this cart is answered again (`reserved_now` false). Otherwise NOT_ALLOWED "This code was
   * just taken; pick another". Audited (`pick`).
   */
  @InjectTransactionManager()
  async pickCode(
    input: { cart_id: string; code_id: string; pool_id: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_id: string; pick_label: string | null; reserved_now: boolean }> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `UPDATE card_code SET status = '${CardCodeTransitions.reserve.to}', cart_id = ?, reserved_at = now(), updated_at = now()
        WHERE id = ? AND pool_id = ? AND status IN ('${sourcesOf("reserve").join("', '")}') AND deleted_at IS NULL
          AND pick_label IS NOT NULL AND pick_label <> '' AND (expires_at IS NULL OR expires_at > now())
        RETURNING id, pick_label`,
      [input.cart_id, input.code_id, input.pool_id]
    )
    if (rows.length) {
      await this.audit_(knex, {
        action: "pick",
        actor: input.actor ?? { type: "system" },
        pool_id: input.pool_id,
        cart_id: input.cart_id,
        code_ids: [input.code_id],
      })
      return { code_id: rows[0].id, pick_label: rows[0].pick_label, reserved_now: true }
    }
    const held = await knex("card_code")
      .select("id", "pick_label")
      .where({ id: input.code_id, pool_id: input.pool_id, cart_id: input.cart_id, status: CardCodeStatus.RESERVED })
      .whereNull("order_id")
      .whereNull("deleted_at")
      .first()
    if (held) return { code_id: held.id, pick_label: held.pick_label, reserved_now: false }
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, CODE_TAKEN_MESSAGE)
  }

  /**
   * Gives a picked code back to stock (a pick rolled back, a picked line gone from the cart): only while it is
   * reserved for that cart and no order has it. Audited (`unpick`).
   */
  @InjectTransactionManager()
  async unpickCode(
    input: { cart_id: string; code_id: string; reason: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ released: boolean }> {
    const knex = this.knex_(ctx)
    const rows = await knex("card_code")
      .where({ id: input.code_id, cart_id: input.cart_id })
      .whereIn("status", sourcesOf("release"))
      .whereNull("order_id")
      .update({ status: CardCodeTransitions.release.to, cart_id: null, reserved_at: null, updated_at: knex.fn.now() })
      .returning(["id", "pool_id"])
    if (!rows.length) return { released: false }
    await this.audit_(knex, {
      action: "unpick",
      actor: input.actor ?? { type: "system" },
      pool_id: rows[0].pool_id,
      cart_id: input.cart_id,
      code_ids: [input.code_id],
      reason: input.reason,
    })
    return { released: true }
  }

  /**
   * Codes a cart picked (an audited pick) that it still holds reserved without an order, apart from `keep`: picks whose
   * line left the cart. Released, so checkout does not hand them out on another line of the pool.
   */
  @InjectTransactionManager()
  async releaseDroppedPicks(
    input: { cart_id: string; keep: string[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ released_code_ids: string[] }> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `UPDATE card_code SET status = '${CardCodeTransitions.release.to}', cart_id = NULL, reserved_at = NULL, updated_at = now()
        WHERE cart_id = ? AND status IN ('${sourcesOf("release").join("', '")}') AND order_id IS NULL AND NOT (id = ANY(?::text[]))
          AND id IN (SELECT jsonb_array_elements_text(code_ids) FROM card_audit_log WHERE action = 'pick' AND cart_id = ?)
        RETURNING id`,
      [input.cart_id, input.keep, input.cart_id]
    )
    const ids = rows.map((r: { id: string }) => r.id)
    if (ids.length) {
      await this.audit_(knex, { action: "unpick", actor: { type: "system" }, cart_id: input.cart_id, code_ids: ids, reason: "picked line removed from the cart" })
    }
    return { released_code_ids: ids }
  }
}

/** A pool that still has labels (picking was turned off since): its labels are cleared by the catch-up. */
function labelled(knex: Knex) {
  return knex("card_code").select(knex.raw("1")).whereRaw("card_code.pool_id = card_pool.id").whereNotNull("pick_label").where("status", CardCodeStatus.AVAILABLE)
}
