import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { codeAad } from "../utils/crypto"
import { bulkEntityId } from "../utils/ids"
import { insertCommittedBatch } from "../utils/import-sql"
import { CardCodeStatus, CardCodeTransitions, SOLD_STATUSES, sourcesOf } from "../utils/state-machine"
import { IN, sqlStateOf, VaultSqlService, type Knex } from "../utils/sql"
import type { CardActor, CardBatchInput, SealedCardCode } from "../types"

/** One line of an addition to a reusable pool: its first copy (sealed by the caller) and how often it may be sold. */
export type SharedCodeInput = { copy: SealedCardCode; sale_limit: number | null }

/** A shared code as the admin lists it, with its copies counted by status. */
export type SharedCodeRow = {
  id: string
  pool_id: string
  batch_id: string
  mask: string
  sale_limit: number | null
  copies_made: number
  status: "active" | "withdrawn"
  withdrawn_at: Date | null
  withdraw_reason: string | null
  created_at: Date
  /** Sales so far: copies reserved, delivered or revealed. */
  sold: number
  /** Copies made and not yet sold. */
  available: number
  /** Sales that may still happen: limit minus sales (null: unlimited; 0 once withdrawn). */
  remaining: number | null
  by_status: Record<string, number>
}

/** Copies made by one top-up, per shared code (for its compensation). */
export type TopUpResult = { made: number; code_ids: string[] }

/** What a withdrawal changed: the copies it took out of sale and the orders that hold a sold copy. */
export type WithdrawResult = {
  shared_code_id: string
  pool_id: string
  /** Unsold copies voided (available, or reserved by a cart that has not become an order). */
  voided_code_ids: string[]
  /** Orders (and wholesale orders) holding a sold copy, each with the copies it holds. */
  holders: { order_id: string; code_ids: string[] }[]
}

/**
 * Reusable pools (循环卡密): one code sold to several orders. A shared code is stored once (blind index, mask, sale
 * limit) and each sale is a copy — an ordinary `card_code` sealed for its own id — so reservation, delivery, reveal,
 * refund and reports need nothing of their own. Copies are made ahead of sales (`reusable_buffer` per code) and made
 * again as they sell; the CHECK `copies_made ≤ sale_limit` keeps a code from being sold beyond its limit whatever runs
 * at once. A line of several codes takes different shared codes while there are enough: copies are dated one
 * microsecond apart per round, so the oldest-first claim takes one copy of each code before a second of any.
 */
export default class SharedCodesService extends VaultSqlService {
  /**
   * Adds shared codes to a reusable pool as one committed batch, all or nothing, and makes their first copies for
   * sale (up to the buffer). A code already in the vault (shared or not, also one added concurrently) rejects it.
   */
  @InjectTransactionManager()
  async importSharedCodes(
    input: CardBatchInput & { codes: SharedCodeInput[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ batch_id: string; shared_code_ids: string[]; copies: number }> {
    const knex = this.knex_(ctx)
    await this.assertKind_(knex, input.pool_id, "reusable")
    if (!input.codes.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "An addition needs at least one code")
    }
    const batchId = await insertCommittedBatch(knex, input, input.codes.length)
    const batchExpiry = input.expires_at ? new Date(input.expires_at) : null
    const shared = input.codes.map((c) => ({ ...c, id: generateEntityId(undefined, "cshare") }))
    try {
      await knex("card_shared_code").insert(
        shared.map((s) => ({
          id: s.id,
          pool_id: input.pool_id,
          batch_id: batchId,
          blind_index: s.copy.blind_index,
          mask: s.copy.mask,
          sale_limit: s.sale_limit,
          copies_made: 1,
        }))
      )
      await knex("card_code").insert(
        shared.map((s) => ({
          id: s.copy.id,
          pool_id: input.pool_id,
          batch_id: batchId,
          shared_code_id: s.id,
          status: CardCodeStatus.AVAILABLE,
          key_version: s.copy.key_version,
          ciphertext: s.copy.ciphertext,
          // The first copy carries the code's own blind index: an exclusive import of the same code is refused.
          blind_index: s.copy.blind_index,
          mask: s.copy.mask,
          has_password: s.copy.has_password,
          expires_at: s.copy.expires_at ?? batchExpiry,
          cost: s.copy.cost ?? null,
          raw_cost: s.copy.cost ? JSON.stringify({ value: s.copy.cost, precision: 20 }) : null,
        }))
      )
    } catch (e: unknown) {
      if (sqlStateOf(e) === "23505") {
        throw new MedusaError(
          MedusaError.Types.DUPLICATE_ERROR,
          "Addition rejected, nothing stored: a code in it is already in the vault (added concurrently)"
        )
      }
      throw e
    }
    const made = await this.topUp_(knex, { shared_code_ids: shared.map((s) => s.id) })
    await this.audit_(knex, {
      action: "import",
      actor: input.actor,
      pool_id: input.pool_id,
      batch_id: batchId,
      code_count: input.codes.length + made.code_ids.length,
      details: {
        shared_codes: input.codes.length,
        copies: input.codes.length + made.code_ids.length,
        supplier: input.supplier ?? null,
      },
    })
    return { batch_id: batchId, shared_code_ids: shared.map((s) => s.id), copies: input.codes.length + made.code_ids.length }
  }

  /**
   * Makes copies of active shared codes until each has `reusable_buffer` unsold ones, never beyond its limit. Shared
   * codes being topped up elsewhere are skipped (`SKIP LOCKED`), so concurrent top-ups neither block nor overshoot.
   */
  @InjectTransactionManager()
  async topUpSharedCodes(
    input: { pool_ids?: string[]; shared_code_ids?: string[]; limit?: number } = {},
    @MedusaContext() ctx: Context = {}
  ): Promise<TopUpResult> {
    return await this.topUp_(this.knex_(ctx), input)
  }

  /** Compensation of a top-up: its copies that are still unsold are removed and no longer counted as made. */
  @InjectTransactionManager()
  async undoTopUp(input: { code_ids: string[] }, @MedusaContext() ctx: Context = {}): Promise<void> {
    if (!input.code_ids.length) return
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `DELETE FROM card_code WHERE id = ANY(?::text[]) AND status = '${CardCodeStatus.AVAILABLE}' RETURNING shared_code_id, batch_id`,
      [input.code_ids]
    )
    const byCode = new Map<string, { n: number; batch_id: string }>()
    for (const r of rows as { shared_code_id: string; batch_id: string }[]) {
      const e = byCode.get(r.shared_code_id) ?? { n: 0, batch_id: r.batch_id }
      e.n++
      byCode.set(r.shared_code_id, e)
    }
    for (const [id, { n, batch_id }] of byCode) {
      await knex.raw(`UPDATE card_shared_code SET copies_made = copies_made - ?, updated_at = now() WHERE id = ?`, [n, id])
      await knex.raw(`UPDATE card_batch SET code_count = code_count - ?, updated_at = now() WHERE id = ?`, [n, batch_id])
    }
  }

  private async topUp_(
    knex: Knex,
    input: { pool_ids?: string[]; shared_code_ids?: string[]; limit?: number }
  ): Promise<TopUpResult> {
    const buffer = this.options_.reusable_buffer
    const filters: string[] = []
    const bindings: Knex.RawBinding[] = []
    if (input.pool_ids) {
      filters.push("s.pool_id = ANY(?::text[])")
      bindings.push(input.pool_ids)
    }
    if (input.shared_code_ids) {
      filters.push("s.id = ANY(?::text[])")
      bindings.push(input.shared_code_ids)
    }
    // Each shared code short of its buffer, with one copy to make the others from (the oldest; every copy holds
    // the same code, and rotation keeps each one readable).
    const { rows } = await knex.raw(
      `SELECT s.id, s.pool_id, s.batch_id, s.blind_index, s.sale_limit, s.copies_made, a.available,
              src.id AS source_id, src.key_version, src.ciphertext, src.has_password, src.mask, src.expires_at, src.cost
         FROM card_shared_code s
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS available FROM card_code c
            WHERE c.shared_code_id = s.id AND c.status = '${CardCodeStatus.AVAILABLE}' AND c.deleted_at IS NULL) a
         CROSS JOIN LATERAL (
           SELECT c.id, c.key_version, c.ciphertext, c.has_password, c.mask, c.expires_at, c.cost FROM card_code c
            WHERE c.shared_code_id = s.id AND c.deleted_at IS NULL ORDER BY c.created_at, c.id LIMIT 1) src
        WHERE s.status = 'active' AND s.deleted_at IS NULL
          AND (s.sale_limit IS NULL OR s.copies_made < s.sale_limit)
          AND (src.expires_at IS NULL OR src.expires_at > now())
          AND a.available < ?
          ${filters.map((f) => `AND ${f}`).join(" ")}
        ORDER BY s.id
        LIMIT ?
        FOR UPDATE OF s SKIP LOCKED`,
      [buffer, ...bindings, input.limit ?? 1000]
    )
    const made: string[] = []
    const byPool = new Map<string, number>()
    for (const s of rows as {
      id: string
      pool_id: string
      batch_id: string
      blind_index: string
      sale_limit: number | null
      copies_made: number
      available: number
      source_id: string
      key_version: number
      ciphertext: string
      has_password: boolean
      mask: string
      expires_at: Date | null
      cost: string | null
    }[]) {
      const n = Math.min(buffer - s.available, s.sale_limit === null ? Infinity : s.sale_limit - s.copies_made)
      if (n <= 0) continue
      const secret = this.cipher_.decrypt({ key_version: s.key_version, ciphertext: s.ciphertext }, codeAad(s.source_id, s.pool_id))
      const copies = Array.from({ length: n }, (_, k) => {
        const id = bulkEntityId("ccode")
        const sealed = this.cipher_.encrypt(secret, codeAad(id, s.pool_id))
        const number = s.copies_made + k + 1
        return {
          id,
          pool_id: s.pool_id,
          batch_id: s.batch_id,
          shared_code_id: s.id,
          status: CardCodeStatus.AVAILABLE,
          key_version: sealed.key_version,
          ciphertext: sealed.ciphertext,
          blind_index: `${s.blind_index}#${number}`,
          mask: s.mask,
          has_password: s.has_password,
          expires_at: s.expires_at,
          cost: s.cost,
          raw_cost: s.cost ? JSON.stringify({ value: s.cost, precision: 20 }) : null,
          // One microsecond per round: the oldest-first claim takes a copy of every code before a second of any.
          created_at: knex.raw("now() + make_interval(secs => ?)", [(k + 1) / 1_000_000]),
        }
      })
      // The CHECK copies_made ≤ sale_limit holds the limit even if two top-ups ever met on one code.
      await knex.raw(`UPDATE card_shared_code SET copies_made = copies_made + ?, updated_at = now() WHERE id = ?`, [n, s.id])
      await knex("card_code").insert(copies)
      await knex.raw(`UPDATE card_batch SET code_count = code_count + ?, updated_at = now() WHERE id = ?`, [n, s.batch_id])
      made.push(...copies.map((c) => c.id))
      byPool.set(s.pool_id, (byPool.get(s.pool_id) ?? 0) + n)
    }
    for (const [poolId, n] of byPool) {
      await this.audit_(knex, { action: "copy", actor: { type: "system" }, pool_id: poolId, code_count: n })
    }
    return { made: made.length, code_ids: made }
  }

  /**
   * Withdraws a shared code: no further sale (its unsold copies are voided, also those reserved by carts that have
   * not become orders — such a cart's delivery takes another code), and the orders holding a sold copy are returned so
   * they can be told. Sold copies keep their status: a buyer keeps what was bought and can be reissued a replacement.
   */
  @InjectTransactionManager()
  async withdrawSharedCode(
    input: { pool_id: string; shared_code_id: string; reason: string; actor: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<WithdrawResult> {
    const knex = this.knex_(ctx)
    const { rows: updated } = await knex.raw(
      `UPDATE card_shared_code SET status = 'withdrawn', withdrawn_at = now(), withdraw_reason = ?, updated_at = now()
        WHERE id = ? AND pool_id = ? AND deleted_at IS NULL AND status = 'active' RETURNING id`,
      [input.reason, input.shared_code_id, input.pool_id]
    )
    if (!updated.length) {
      const row = await knex("card_shared_code").first("status").where({ id: input.shared_code_id, pool_id: input.pool_id }).whereNull("deleted_at")
      if (!row) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Shared code ${input.shared_code_id} was not found in pool ${input.pool_id}`)
      }
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Shared code ${input.shared_code_id} is already withdrawn`)
    }
    const { rows: unsold } = await knex.raw(
      `WITH c AS (
         SELECT id, status, cart_id, reserved_at FROM card_code
          WHERE shared_code_id = ? AND deleted_at IS NULL AND status IN (${IN(sourcesOf("withdraw"))}) AND order_id IS NULL
          FOR UPDATE)
       UPDATE card_code cc SET status = '${CardCodeTransitions.withdraw.to}', voided_at = now(), void_reason = ?,
              cart_id = NULL, reserved_at = NULL, updated_at = now()
         FROM c WHERE cc.id = c.id
       RETURNING cc.id`,
      [input.shared_code_id, input.reason]
    )
    const { rows: sold } = await knex.raw(
      `SELECT order_id, array_agg(id ORDER BY id) AS code_ids FROM card_code
        WHERE shared_code_id = ? AND status IN (${IN(SOLD_STATUSES)}) AND order_id IS NOT NULL AND deleted_at IS NULL
        GROUP BY order_id ORDER BY order_id`,
      [input.shared_code_id]
    )
    await this.audit_(knex, {
      action: "withdraw",
      actor: input.actor,
      pool_id: input.pool_id,
      code_ids: unsold.map((r: { id: string }) => r.id).sort(),
      reason: input.reason,
      details: { shared_code_id: input.shared_code_id, holders: sold.length },
    })
    return {
      shared_code_id: input.shared_code_id,
      pool_id: input.pool_id,
      voided_code_ids: unsold.map((r: { id: string }) => r.id),
      holders: sold,
    }
  }

  /**
   * Compensation of a withdrawal: the shared code is active again and its voided copies are back in stock (a cart
   * that held one claims again when it completes).
   */
  @InjectTransactionManager()
  async undoWithdraw(input: WithdrawResult, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = this.knex_(ctx)
    await knex("card_shared_code")
      .where({ id: input.shared_code_id, status: "withdrawn" })
      .update({ status: "active", withdrawn_at: null, withdraw_reason: null, updated_at: knex.fn.now() })
    if (!input.voided_code_ids.length) return
    await knex("card_code")
      .whereIn("id", input.voided_code_ids)
      .whereIn("status", CardCodeTransitions.unwithdraw.from)
      .whereNull("order_id")
      .update({ status: CardCodeTransitions.unwithdraw.to, voided_at: null, void_reason: null, updated_at: knex.fn.now() })
  }

  /** A reusable pool's shared codes (all, or the given ids), newest first, each with its copies counted by status. */
  @InjectManager()
  async listSharedCodes(
    input: { pool_id: string; ids?: string[]; limit?: number; offset?: number; status?: "active" | "withdrawn" },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ shared_codes: SharedCodeRow[]; count: number }> {
    const knex = this.knex_(ctx)
    const base = knex("card_shared_code").where({ pool_id: input.pool_id }).whereNull("deleted_at")
    if (input.status) base.where({ status: input.status })
    if (input.ids) base.whereIn("id", input.ids)
    const [{ n }] = await base.clone().count({ n: "*" })
    const rows = await base
      .clone()
      .select("id", "pool_id", "batch_id", "mask", "sale_limit", "copies_made", "status", "withdrawn_at", "withdraw_reason", "created_at")
      .orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }])
      .limit(input.limit ?? 50)
      .offset(input.offset ?? 0)
    const counts = rows.length
      ? (
          await knex.raw(
            `SELECT shared_code_id, status, count(*)::int AS n FROM card_code
              WHERE shared_code_id = ANY(?::text[]) AND deleted_at IS NULL GROUP BY shared_code_id, status`,
            [rows.map((r: { id: string }) => r.id)]
          )
        ).rows
      : []
    const sold = new Set<string>([CardCodeStatus.RESERVED, ...SOLD_STATUSES])
    return {
      count: Number(n),
      shared_codes: rows.map((r: Omit<SharedCodeRow, "sold" | "available" | "remaining" | "by_status">) => {
        const byStatus: Record<string, number> = {}
        for (const c of counts as { shared_code_id: string; status: string; n: number }[]) {
          if (c.shared_code_id === r.id) byStatus[c.status] = c.n
        }
        const soldCount = Object.entries(byStatus).reduce((sum, [status, k]) => sum + (sold.has(status) ? k : 0), 0)
        return {
          ...r,
          sold: soldCount,
          available: byStatus[CardCodeStatus.AVAILABLE] ?? 0,
          remaining: r.status === "withdrawn" ? 0 : r.sale_limit === null ? null : Math.max(r.sale_limit - soldCount, 0),
          by_status: byStatus,
        }
      }),
    }
  }

  /** Refuses work meant for one kind of pool on a pool of the other kind (or a missing pool). */
  private async assertKind_(knex: Knex, poolId: string, kind: "exclusive" | "reusable") {
    const pool = await knex("card_pool").first("id", "kind").where({ id: poolId }).whereNull("deleted_at")
    if (!pool) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${poolId} was not found`)
    if (pool.kind !== kind) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Pool ${poolId} is ${pool.kind}: shared codes are added to reusable pools only (create the pool with kind "reusable")`
      )
    }
  }
}

