import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MathBN, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { knexOf, rawMoney, RedemptionSqlService, type Knex } from "../utils/sql"
import type { VoucherProgramInput, VoucherProgramRow } from "../utils/types"

const COLUMNS = ["id", "pool_id", "kind", "uses", "face_value", "currency_code", "rollback_window_seconds", "status"]

export const toProgram = (r: Record<string, unknown>): VoucherProgramRow => ({
  id: String(r.id),
  pool_id: String(r.pool_id),
  kind: r.kind as VoucherProgramRow["kind"],
  uses: r.uses === null || r.uses === undefined ? null : Number(r.uses),
  face_value: r.face_value === null || r.face_value === undefined ? null : MathBN.convert(String(r.face_value)).toString(),
  currency_code: (r.currency_code as string | null) ?? null,
  rollback_window_seconds: Number(r.rollback_window_seconds),
  status: r.status as VoucherProgramRow["status"],
})

/** Reads a pool's program inside a statement's transaction (locked for the caller when `forUpdate`). */
export async function programOfPool(knex: Knex, poolId: string, forUpdate = false): Promise<VoucherProgramRow | null> {
  const q = knex("voucher_program").select(COLUMNS).where({ pool_id: poolId }).whereNull("deleted_at").first()
  const row = await (forUpdate ? q.forUpdate() : q)
  return row ? toProgram(row) : null
}

/**
 * Redemption programs: how a pool's codes are redeemed. Setting one validates the kind's settings (a stored value needs
 * its face value and currency, multi-use its number of uses, single use neither); a change applies to vouchers not yet
 * redeemed (those already redeemed keep their balance).
 */
export default class VoucherProgramsService extends RedemptionSqlService {
  @InjectTransactionManager()
  async setProgram(input: VoucherProgramInput, @MedusaContext() ctx: Context = {}): Promise<VoucherProgramRow> {
    const knex = knexOf(ctx)
    const fields = settingsOf(input)
    const existing = await programOfPool(knex, input.pool_id, true)
    if (existing) {
      await knex("voucher_program").where({ id: existing.id }).update({ ...fields, updated_at: knex.fn.now() })
    } else {
      await knex("voucher_program").insert({ id: generateEntityId(undefined, "vprog"), pool_id: input.pool_id, ...fields })
    }
    return (await programOfPool(knex, input.pool_id))!
  }

  @InjectManager()
  async programOf(poolId: string, @MedusaContext() ctx: Context = {}): Promise<VoucherProgramRow | null> {
    return programOfPool(knexOf(ctx), poolId)
  }
}

function settingsOf(input: VoucherProgramInput) {
  const field = (name: string, why: string) => new MedusaError(MedusaError.Types.INVALID_DATA, `${name}: ${why}`)
  const faceValue = input.face_value === null || input.face_value === undefined ? null : MathBN.convert(input.face_value).toString()
  const uses = input.uses ?? null
  if (input.kind === "stored_value") {
    if (!faceValue) throw field("face_value", "a stored-value voucher needs its face value")
    if (!input.currency_code) throw field("currency_code", "a stored-value voucher needs its currency")
  } else if (faceValue !== null) {
    throw field("face_value", `only a stored-value voucher has one (this program is ${input.kind})`)
  }
  if (input.kind === "multi_use" && !uses) throw field("uses", "a multi-use voucher needs its number of uses")
  if (input.kind !== "multi_use" && uses !== null) throw field("uses", `only a multi-use voucher has them (this program is ${input.kind})`)
  return {
    kind: input.kind,
    uses,
    face_value: faceValue,
    raw_face_value: rawMoney(faceValue),
    currency_code: input.currency_code ? input.currency_code.toLowerCase() : null,
    rollback_window_seconds: input.rollback_window_seconds ?? 900,
    status: input.status ?? "active",
  }
}
