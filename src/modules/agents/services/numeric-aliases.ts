import { randomBytes } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { knexOf } from "../utils/sql"

export type NumericAliasKind = "product" | "variant" | "category" | "order"

/**
 * Numbers for our ids on the dujiao-next compatible routes (their clients read ids as unsigned integers): one per
 * (kind, id), given on first use by one INSERT … ON CONFLICT DO NOTHING (two requests at once get the same number)
 * and never changed.
 */
export default class NumericAliasesService {
  async numbersOf(kind: NumericAliasKind, ids: string[], ctx: Context): Promise<Map<string, number>> {
    const unique = [...new Set(ids)]
    if (!unique.length) return new Map()
    const knex = knexOf(ctx)
    await knex.raw(
      `INSERT INTO agent_numeric_alias (id, kind, target_id)
       SELECT * FROM unnest(?::text[], ?::text[], ?::text[])
       ON CONFLICT (kind, target_id) WHERE deleted_at IS NULL DO NOTHING`,
      [unique.map(() => `anum_${randomBytes(12).toString("hex")}`), unique.map(() => kind), unique]
    )
    const rows: { target_id: string; number: string }[] = await knex("agent_numeric_alias")
      .select("target_id", "number")
      .where({ kind })
      .whereIn("target_id", unique)
      .whereNull("deleted_at")
    return new Map(rows.map((r) => [r.target_id, Number(r.number)]))
  }

  async idOf(kind: NumericAliasKind, number: number, ctx: Context): Promise<string | null> {
    if (!Number.isSafeInteger(number) || number <= 0) return null
    const row = await knexOf(ctx)("agent_numeric_alias").first("target_id").where({ kind, number }).whereNull("deleted_at")
    return row?.target_id ?? null
  }
}
