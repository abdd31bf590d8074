import type { MedusaRequest } from "@medusajs/framework/http"
import { vaultOf } from "./card-vault"

/** A bundle as the admin shows it: its components with their pools' names and sellable codes, and whole bundles left. */
export type BundleView = {
  id: string
  name: string
  /** Whole bundles the pools can still make. */
  available: number
  components: { pool_id: string; pool_name: string | null; quantity: number; share: number; available: number }[]
}

/** The bundles with these ids, as the admin shows them (unknown ids are left out). */
export async function bundleViews(req: MedusaRequest, ids: string[]): Promise<Map<string, BundleView>> {
  const vault = vaultOf(req)
  const bundles = await vault.getBundles(ids)
  if (!bundles.length) return new Map()
  const poolIds = [...new Set(bundles.flatMap((b) => b.components.map((c) => c.pool_id)))]
  const [pools, counts, whole] = await Promise.all([
    vault.listCardPools({ id: poolIds }, { select: ["id", "name"], withDeleted: true }),
    vault.getAvailableCounts(poolIds),
    vault.getBundleStock(bundles.map((b) => b.id)),
  ])
  const nameOf = new Map(pools.map((p) => [p.id, p.name]))
  return new Map(
    bundles.map((b) => [
      b.id,
      {
        id: b.id,
        name: b.name,
        available: whole[b.id] ?? 0,
        components: b.components.map((c) => ({ ...c, pool_name: nameOf.get(c.pool_id) ?? null, available: counts[c.pool_id] ?? 0 })),
      },
    ])
  )
}
