import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MathBN, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { knexOf, RedemptionSqlService, type Knex } from "../utils/sql"
import type { RedeemVoucherInput, RollbackRedemptionInput, VoucherProgramRow, VoucherRedemptionRow, VoucherState } from "../utils/types"
import { programOfPool, toProgram } from "./voucher-programs"

/** The one answer for a code that is not a voucher of ours, whatever the reason (unknown, unsold, no program). */
export const voucherNotFound = () => new MedusaError(MedusaError.Types.NOT_FOUND, "Voucher not found")

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
/** A numeric column as canonical decimal text ("12.50" → "12.5"), as the API compares and shows money. */
const decimal = (v: unknown): string | null => (v === null || v === undefined ? null : MathBN.convert(String(v)).toString())

export const toRedemption = (r: Record<string, unknown>): VoucherRedemptionRow => ({
  id: String(r.id),
  voucher_id: String(r.voucher_id),
  code_id: String(r.code_id),
  pool_id: String(r.pool_id),
  kind: r.kind as VoucherRedemptionRow["kind"],
  uses: Number(r.uses),
  amount: decimal(r.amount),
  remaining_uses_after: r.remaining_uses_after === null || r.remaining_uses_after === undefined ? null : Number(r.remaining_uses_after),
  remaining_value_after: decimal(r.remaining_value_after),
  channel: r.channel as VoucherRedemptionRow["channel"],
  actor_type: String(r.actor_type),
  actor_id: (r.actor_id as string | null) ?? null,
  idempotency_key: (r.idempotency_key as string | null) ?? null,
  reason: (r.reason as string | null) ?? null,
  reverses_id: (r.reverses_id as string | null) ?? null,
  rolled_back_at: (r.rolled_back_at as Date | null) ?? null,
  created_at: r.created_at as Date,
})

const REDEMPTION_COLUMNS = `id, voucher_id, code_id, pool_id, kind, uses, amount, remaining_uses_after, remaining_value_after, channel, actor_type,
  actor_id, idempotency_key, reason, reverses_id, rolled_back_at, created_at`

/** Money as the ledger writes it: numeric, and Medusa's raw JSON beside it. */
const RAW = (column: string) => `jsonb_build_object('value', (${column})::text, 'precision', 20)`

/**
 * The voucher ledger (核销): validation (read only), redemption and rollback. A redemption is one statement — the
 * conditional UPDATE of the voucher's balance joined with the INSERT of its ledger row — so two counters redeeming the
 * same voucher at once cannot both take its last use, and partial redemptions racing cannot overdraw it (the UPDATE's
 * condition; the CHECK constraints refuse a negative balance as a last guard). A request key is used once per channel
 * and actor (a unique index): the same request again answers the same redemption; another request under it is refused.
 */
export default class VoucherLedgerService extends RedemptionSqlService {
  /** Where a voucher stands, changing nothing. Null when its pool has no program. */
  @InjectManager()
  async voucherState(input: { code_id: string; pool_id: string }, @MedusaContext() ctx: Context = {}): Promise<VoucherState | null> {
    const knex = knexOf(ctx)
    const program = await programOfPool(knex, input.pool_id)
    if (!program) return null
    const voucher = await knex("voucher").first("*").where({ code_id: input.code_id }).whereNull("deleted_at")
    return stateOf(program, input.code_id, voucher)
  }

  /** Where several vouchers stand (codes of pools without a program are left out), in two reads. */
  @InjectManager()
  async voucherStates(input: { code_id: string; pool_id: string }[], @MedusaContext() ctx: Context = {}): Promise<VoucherState[]> {
    if (!input.length) return []
    const knex = knexOf(ctx)
    const programs = new Map(
      (await knex("voucher_program").select("*").whereIn("pool_id", [...new Set(input.map((c) => c.pool_id))]).whereNull("deleted_at")).map((r: Record<string, unknown>) => [
        String(r.pool_id),
        toProgram(r),
      ])
    )
    const wanted = input.filter((c) => programs.has(c.pool_id))
    if (!wanted.length) return []
    const vouchers = new Map(
      (await knex("voucher").select("*").whereIn("code_id", wanted.map((c) => c.code_id)).whereNull("deleted_at")).map((r: Record<string, unknown>) => [String(r.code_id), r])
    )
    return wanted.map((c) => stateOf(programs.get(c.pool_id)!, c.code_id, vouchers.get(c.code_id)))
  }

  /** The ledger of a voucher, oldest first. */
  @InjectManager()
  async historyOf(codeId: string, @MedusaContext() ctx: Context = {}): Promise<VoucherRedemptionRow[]> {
    const rows = await knexOf(ctx)("voucher_redemption").select("*").where({ code_id: codeId }).whereNull("deleted_at").orderBy([{ column: "created_at" }, { column: "id" }])
    return rows.map(toRedemption)
  }

  /** A page of the ledger, newest first, with the total count. */
  @InjectManager()
  async listRedemptions(
    filters: { pool_id?: string; code_id?: string; channel?: string; created_from?: Date; created_to?: Date },
    page: { limit: number; offset: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ rows: VoucherRedemptionRow[]; count: number }> {
    const knex = knexOf(ctx)
    const { created_from, created_to, ...equal } = filters
    const where = Object.fromEntries(Object.entries(equal).filter(([, v]) => v !== undefined))
    const base = knex("voucher_redemption").where(where).whereNull("deleted_at")
    if (created_from) base.where("created_at", ">=", created_from)
    if (created_to) base.where("created_at", "<", created_to)
    const [rows, total] = await Promise.all([
      base.clone().select("*").orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }]).limit(page.limit).offset(page.offset),
      base.clone().count({ n: "*" }).first(),
    ])
    return { rows: rows.map(toRedemption), count: Number(total?.n ?? 0) }
  }

  /** Redeems a use (or `amount` of a stored value), once per request key. See the class. */
  @InjectManager()
  async redeem(input: RedeemVoucherInput, @MedusaContext() ctx: Context = {}): Promise<{ redemption: VoucherRedemptionRow; replayed: boolean }> {
    try {
      return await this.redeemOnce_(input, ctx)
    } catch (e) {
      // The same key raced in from a second request and committed first (the unique index refused ours): its
      // redemption is the answer. Any other failure with no redemption under the key stands.
      const earlier = await this.byKey_(knexOf(ctx), input)
      if (!earlier) throw e
      return replayOf(earlier, input)
    }
  }

  @InjectTransactionManager()
  protected async redeemOnce_(input: RedeemVoucherInput, @MedusaContext() ctx: Context = {}): Promise<{ redemption: VoucherRedemptionRow; replayed: boolean }> {
    const knex = knexOf(ctx)
    const earlier = await this.byKey_(knex, input)
    if (earlier) return replayOf(earlier, input)
    const program = await programOfPool(knex, input.pool_id)
    if (!program) throw voucherNotFound()
    if (program.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Redemption of this voucher is disabled")
    const amount = amountOf(program, input.amount ?? null)
    // The voucher's balance is created from its program at its first redemption (a concurrent first one finds it).
    await knex.raw(
      `INSERT INTO voucher (id, code_id, pool_id, program_id, kind, remaining_uses, remaining_value, raw_remaining_value, redeemed_count, created_at, updated_at)
       SELECT ?, ?, ?, p.id, p.kind, CASE p.kind WHEN 'single_use' THEN 1 WHEN 'multi_use' THEN p.uses END,
              p.face_value, CASE WHEN p.face_value IS NULL THEN NULL ELSE ${RAW("p.face_value")} END, 0, now(), now()
         FROM voucher_program p WHERE p.id = ?
       ON CONFLICT (code_id) WHERE deleted_at IS NULL DO NOTHING`,
      [generateEntityId(undefined, "vch"), input.code_id, input.pool_id, program.id]
    )
    const take = amount === null ? "NULL::numeric" : "?::numeric"
    const { rows } = await knex.raw(
      `WITH v AS (
         UPDATE voucher
            SET remaining_uses = CASE WHEN kind = 'stored_value' THEN remaining_uses ELSE remaining_uses - 1 END,
                remaining_value = CASE WHEN kind = 'stored_value' THEN remaining_value - ${take} ELSE remaining_value END,
                raw_remaining_value = CASE WHEN kind = 'stored_value' THEN ${RAW(`remaining_value - ${take}`)} ELSE raw_remaining_value END,
                redeemed_count = redeemed_count + 1,
                first_redeemed_at = coalesce(first_redeemed_at, now()), last_redeemed_at = now(), updated_at = now()
          WHERE code_id = ? AND deleted_at IS NULL
            AND CASE WHEN kind = 'stored_value' THEN remaining_value >= ${take} ELSE remaining_uses >= 1 END
         RETURNING id, code_id, pool_id, kind, remaining_uses, remaining_value)
       INSERT INTO voucher_redemption (id, voucher_id, code_id, pool_id, kind, uses, amount, raw_amount, remaining_uses_after,
              remaining_value_after, raw_remaining_value_after, channel, actor_type, actor_id, idempotency_key, request_hash, created_at, updated_at)
       SELECT ?, v.id, v.code_id, v.pool_id, 'redeem', CASE WHEN v.kind = 'stored_value' THEN 0 ELSE 1 END,
              ${take}, CASE WHEN v.kind = 'stored_value' THEN ${RAW(take)} END, v.remaining_uses,
              v.remaining_value, CASE WHEN v.remaining_value IS NULL THEN NULL ELSE ${RAW("v.remaining_value")} END,
              ?, ?, ?, ?, ?, now(), now()
         FROM v
       RETURNING ${REDEMPTION_COLUMNS}`,
      [
        // In the order the placeholders appear: the UPDATE's new value (twice), its voucher, its condition; the row's id,
        // its amount (twice), then who asked.
        ...(amount === null ? [] : [amount, amount]),
        input.code_id,
        ...(amount === null ? [] : [amount]),
        generateEntityId(undefined, "vred"),
        ...(amount === null ? [] : [amount, amount]),
        input.channel,
        input.actor_type,
        input.actor_id,
        input.idempotency_key,
        input.request_hash,
      ]
    )
    if (rows.length) return { redemption: toRedemption(rows[0]), replayed: false }
    const voucher = await knex("voucher").first("*").where({ code_id: input.code_id }).whereNull("deleted_at")
    const state = stateOf(program, input.code_id, voucher)
    if (state.status === "used_up") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Voucher is used up")
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `amount: ${amount} is more than the voucher's balance of ${state.remaining_value} ${(program.currency_code ?? "").toUpperCase()}`.trim()
    )
  }

  /**
   * Gives a redemption back within its program's window, with a reason, once: one statement marks it rolled back, puts
   * its use or amount back on the voucher and writes the `rollback` row (a unique index on what it reverses).
   */
  @InjectTransactionManager()
  async rollback(input: RollbackRedemptionInput, @MedusaContext() ctx: Context = {}): Promise<VoucherRedemptionRow> {
    const knex = knexOf(ctx)
    const original = await knex("voucher_redemption").first("*").where({ id: input.redemption_id }).whereNull("deleted_at")
    if (!original || original.kind !== "redeem") throw new MedusaError(MedusaError.Types.NOT_FOUND, `Redemption with id: ${input.redemption_id} was not found`)
    const program = await programOfPool(knex, original.pool_id)
    const window = input.ignore_window ? 10 * 365 * 86_400 : (program?.rollback_window_seconds ?? 0)
    const { rows } = await knex.raw(
      `WITH r AS (
         UPDATE voucher_redemption SET rolled_back_at = now(), updated_at = now()
          WHERE id = ? AND kind = 'redeem' AND rolled_back_at IS NULL AND deleted_at IS NULL
            AND created_at > now() - make_interval(secs => ?)
         RETURNING id, voucher_id, code_id, pool_id, uses, amount),
       v AS (
         UPDATE voucher
            SET remaining_uses = CASE WHEN voucher.kind = 'stored_value' THEN remaining_uses ELSE remaining_uses + r.uses END,
                remaining_value = CASE WHEN voucher.kind = 'stored_value' THEN remaining_value + r.amount ELSE remaining_value END,
                raw_remaining_value = CASE WHEN voucher.kind = 'stored_value' THEN ${RAW("remaining_value + r.amount")} ELSE raw_remaining_value END,
                redeemed_count = redeemed_count - 1, updated_at = now()
           FROM r WHERE voucher.id = r.voucher_id
         RETURNING voucher.id, voucher.remaining_uses, voucher.remaining_value)
       INSERT INTO voucher_redemption (id, voucher_id, code_id, pool_id, kind, uses, amount, raw_amount, remaining_uses_after,
              remaining_value_after, raw_remaining_value_after, channel, actor_type, actor_id, reason, reverses_id, created_at, updated_at)
       SELECT ?, r.voucher_id, r.code_id, r.pool_id, 'rollback', r.uses, r.amount, CASE WHEN r.amount IS NULL THEN NULL ELSE ${RAW("r.amount")} END,
              v.remaining_uses, v.remaining_value, CASE WHEN v.remaining_value IS NULL THEN NULL ELSE ${RAW("v.remaining_value")} END,
              ?, ?, ?, ?, r.id, now(), now()
         FROM r JOIN v ON v.id = r.voucher_id
       RETURNING ${REDEMPTION_COLUMNS}`,
      [input.redemption_id, window, generateEntityId(undefined, "vred"), input.channel, input.actor_type, input.actor_id, input.reason]
    )
    if (rows.length) return toRedemption(rows[0])
    // Read again: a concurrent rollback may have taken it while this one waited for the row.
    const now = await knex("voucher_redemption").first("rolled_back_at").where({ id: input.redemption_id })
    if (now?.rolled_back_at) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Redemption ${input.redemption_id} is already rolled back`)
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Redemption ${input.redemption_id} can no longer be rolled back: its program allows ${window} seconds, and it was made at ${new Date(original.created_at).toISOString()}`
    )
  }

  private async byKey_(knex: Knex, input: RedeemVoucherInput): Promise<(VoucherRedemptionRow & { request_hash: string | null }) | null> {
    const row = await knex("voucher_redemption")
      .first("*")
      .where({ channel: input.channel, idempotency_key: input.idempotency_key })
      .where((q) => (input.actor_id === null ? q.whereNull("actor_id") : q.where("actor_id", input.actor_id)))
      .whereNull("deleted_at")
    return row ? { ...toRedemption(row), request_hash: (row.request_hash as string | null) ?? null } : null
  }
}

function replayOf(earlier: VoucherRedemptionRow & { request_hash: string | null }, input: RedeemVoucherInput) {
  if (earlier.request_hash !== input.request_hash) {
    throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "Idempotency-Key was already used for another redemption request")
  }
  const { request_hash: _hash, ...redemption } = earlier
  return { redemption, replayed: true }
}

/** The amount a request takes: required (positive decimal text) for a stored value, refused otherwise. */
function amountOf(program: VoucherProgramRow, amount: string | null): string | null {
  if (program.kind !== "stored_value") {
    if (amount !== null) throw new MedusaError(MedusaError.Types.INVALID_DATA, `amount: only a stored-value voucher is redeemed by amount (this one is ${program.kind})`)
    return null
  }
  if (amount === null) throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount: a stored-value voucher is redeemed by amount; give how much to take")
  if (!/^\d{1,12}(\.\d{1,8})?$/.test(amount) || !MathBN.gt(amount, 0)) throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount: must be a positive decimal such as 12.50")
  return amount
}

function stateOf(program: VoucherProgramRow, codeId: string, voucher: Record<string, unknown> | undefined): VoucherState {
  const remainingUses = voucher ? (voucher.remaining_uses === null ? null : Number(voucher.remaining_uses)) : program.kind === "single_use" ? 1 : program.uses
  const remainingValue = voucher ? text(voucher.remaining_value) : program.face_value
  const usedUp = program.kind === "stored_value" ? !remainingValue || !MathBN.gt(remainingValue, 0) : !remainingUses
  return {
    code_id: codeId,
    pool_id: program.pool_id,
    program_id: program.id,
    kind: program.kind,
    status: usedUp ? "used_up" : program.status === "active" ? "redeemable" : "disabled",
    remaining_uses: remainingUses,
    remaining_value: remainingValue === null ? null : MathBN.convert(remainingValue).toString(),
    face_value: program.face_value,
    uses: program.uses,
    currency_code: program.currency_code,
    redeemed_count: voucher ? Number(voucher.redeemed_count) : 0,
    first_redeemed_at: (voucher?.first_redeemed_at as Date | null) ?? null,
    last_redeemed_at: (voucher?.last_redeemed_at as Date | null) ?? null,
    rollback_window_seconds: program.rollback_window_seconds,
  }
}
