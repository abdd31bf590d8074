import { randomBytes } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { knexOf } from "../utils/sql"

export type NumericAliasKind = "product" | "variant" | "category" | "order"

/**
 * Numbers for our ids on the dujiao-next compatible routes (their clients read ids as unsigned integers): one per
 * (kind, id), read first, the missing ones given by one INSERT … ON CONFLICT DO NOTHING (two requests at once get the
 * same number) and never changed.
 */
export default class NumericAliasesService {
  async numbersOf(kind: NumericAliasKind, ids: string[], ctx: Context): Promise<Map<string, number>> {
    const unique = [...new Set(ids)]
    if (!unique.length) return new Map()
    const knex = knexOf(ctx)
    const read = async (ids: string[]) =>
      (
        (await knex("agent_numeric_alias").select("target_id", "number").where({ kind }).whereIn("target_id", ids).whereNull("deleted_at")) as {
          target_id: string
          number: string
        }[]
      ).map((r) => [r.target_id, Number(r.number)] as const)
    // Read first: most ids have their number already, and an INSERT that finds them would still use up numbers.
    const found = new Map(await read(unique))
    const missing = unique.filter((id) => !found.has(id))
    if (!missing.length) return found
    await knex.raw(
      `INSERT INTO agent_numeric_alias (id, kind, target_id)
       SELECT * FROM unnest(?::text[], ?::text[], ?::text[])
       ON CONFLICT (kind, target_id) WHERE deleted_at IS NULL DO NOTHING`,
      [missing.map(() => `anum_${randomBytes(12).toString("hex")}`), missing.map(() => kind), missing]
    )
    for (const [id, number] of await read(missing)) found.set(id, number)
    return found
  }

  async idOf(kind: NumericAliasKind, number: number, ctx: Context): Promise<string | null> {
    if (!Number.isSafeInteger(number) || number <= 0) return null
    const row = await knexOf(ctx)("agent_numeric_alias").first("target_id").where({ kind, number }).whereNull("deleted_at")
    return row?.target_id ?? null
  }
}
