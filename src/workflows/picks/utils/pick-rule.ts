/** A pool's buyer's choice settings as Query reads them on a variant's `card_pool`. */
export const PICK_POOL_FIELDS = ["card_pool.id", "card_pool.kind", "card_pool.pick_premium_bp", "card_pool.pick_show_first", "card_pool.pick_show_last"] as const

export type PickPoolRow = {
  id: string
  kind?: string | null
  pick_premium_bp?: number | null
  pick_show_first?: number | null
  pick_show_last?: number | null
}

/** What a shopper is told of a pool's pick rule. */
export type PickRule = { pool_id: string; premium_bp: number; show_first: number; show_last: number }

/** The pick rule of a variant's pool, or null when the variant has no pool, the pool is reusable or picking is off. */
export function pickRuleOf(pool: PickPoolRow | null | undefined): PickRule | null {
  if (!pool?.id || pool.kind === "reusable" || pool.pick_premium_bp === null || pool.pick_premium_bp === undefined) return null
  return {
    pool_id: pool.id,
    premium_bp: Number(pool.pick_premium_bp),
    show_first: Number(pool.pick_show_first ?? 0),
    show_last: Number(pool.pick_show_last ?? 0),
  }
}

/** The metadata a picked line carries: the code's id and its label (what the pool's rule shows), never the code. */
export type PickedLineMetadata = { picked_code_id: string; pick_label: string | null }

/** The picked code of a cart or order line, from its metadata. */
export function pickedCodeOf(metadata: Record<string, unknown> | null | undefined): string | null {
  const id = metadata?.picked_code_id
  return typeof id === "string" && id.length > 0 ? id : null
}
