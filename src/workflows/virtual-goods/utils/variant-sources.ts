/**
 * Where a variant's codes come from: one pool (a code per unit), or a bundle's pools (each component's quantity per
 * unit). The one reading of it for checkout, delivery, wholesale and the storefront's stock.
 */

/** The Query fields of a product variant that say where its codes come from. */
export const VARIANT_SOURCE_FIELDS = [
  "card_pool.id",
  "card_bundle.id",
  "card_bundle.components.pool_id",
  "card_bundle.components.quantity",
  "card_bundle.components.share",
] as const

export type VariantSourceRow = {
  id: string
  card_pool?: { id: string } | null
  card_bundle?: { id: string; components?: { pool_id: string; quantity: number; share: number }[] | null } | null
}

/** Codes of one pool per unit sold (for a bundle, a component); `share` of the unit price in basis points. */
export type CodeSource = { pool_id: string; quantity: number; share: number }

/** A variant's sources: `bundle_id` set for a bundle. */
export type VariantSources = { bundle_id: string | null; sources: CodeSource[] }

/** Sources per variant id, for the variants sold from the vault (a pool or a bundle); others are left out. */
export function sourcesByVariant(rows: VariantSourceRow[]): Map<string, VariantSources> {
  const out = new Map<string, VariantSources>()
  for (const v of rows) {
    if (v.card_pool?.id) out.set(v.id, { bundle_id: null, sources: [{ pool_id: v.card_pool.id, quantity: 1, share: 10_000 }] })
    else if (v.card_bundle?.id && v.card_bundle.components?.length) {
      out.set(v.id, {
        bundle_id: v.card_bundle.id,
        sources: v.card_bundle.components
          .map((c) => ({ pool_id: c.pool_id, quantity: Number(c.quantity), share: Number(c.share) }))
          .sort((a, b) => (a.pool_id < b.pool_id ? -1 : a.pool_id > b.pool_id ? 1 : 0)),
      })
    }
  }
  return out
}

/** The codes `quantity` units of a variant need, per pool. */
export function codesNeeded(sources: VariantSources, quantity: number): { pool_id: string; quantity: number }[] {
  return sources.sources.map((s) => ({ pool_id: s.pool_id, quantity: s.quantity * quantity }))
}
