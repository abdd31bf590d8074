import type { MedusaStoreRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { vaultOf } from "../../../utils/card-vault"
import { passThroughOffers } from "../../../../workflows/suppliers/utils/pass-through"
import type { StoreGetVirtualStockParamsType } from "../validators"

/** How long a pool's count is served from memory: on a promo night storefronts poll; the claim is the gate anyway. */
const STOCK_TTL_MS = 1000
const cache = new Map<string, { available: number; pass_through: boolean; at: number }>()

type VariantOfStore = {
  id: string
  card_pool?: { id: string } | null
  card_bundle?: { id: string } | null
  product?: { status: string; sales_channels?: { id: string }[] } | null
}

/** Whole bundles still available, per bundle, served from memory like a pool's count. */
const bundleCache = new Map<string, { available: number; at: number }>()

/**
 * Stock of variants sold from card pools, for storefronts: a virtual variant is not managed by Medusa's inventory (the
 * vault's claim is its only gate), so its `inventory_quantity` is not set by the products API; this route says how
 * many codes are left and whether it is sold out. Only published products of the publishable key's sales channels are
 * answered; other variants (not virtual, unknown, unpublished) are left out. Counts may lag by up to a second.
 * `pass_through`: the pool is empty but still sells, its codes bought from a supplier at delivery (not sold out).
 * A bundle's variant answers how many whole bundles its pools can still make.
 */
export const GET = async (req: MedusaStoreRequest<unknown, StoreGetVirtualStockParamsType>, res: MedusaResponse) => {
  const ids = [...new Set(req.validatedQuery.variant_id)]
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", "card_pool.id", "card_bundle.id", "product.status", "product.sales_channels.id"],
    filters: { id: ids },
  })
  const channels = new Set(req.publishable_key_context?.sales_channel_ids ?? [])
  const sold = (data as VariantOfStore[]).filter(
    (v) =>
      (v.card_pool?.id || v.card_bundle?.id) &&
      v.product?.status === "published" &&
      (!channels.size || (v.product.sales_channels ?? []).some((c) => channels.has(c.id)))
  )
  const now = Date.now()
  const staleBundles = [...new Set(sold.flatMap((v) => (!v.card_pool?.id && v.card_bundle?.id ? [v.card_bundle.id] : [])))].filter(
    (b) => (bundleCache.get(b)?.at ?? 0) + STOCK_TTL_MS <= now
  )
  if (staleBundles.length) {
    const whole = await vaultOf(req).getBundleStock(staleBundles)
    for (const b of staleBundles) bundleCache.set(b, { available: whole[b], at: now })
  }
  const stale = [...new Set(sold.flatMap((v) => (v.card_pool?.id ? [v.card_pool.id] : [])))].filter((p) => (cache.get(p)?.at ?? 0) + STOCK_TTL_MS <= now)
  if (stale.length) {
    const counts = await vaultOf(req).getAvailableCounts(stale)
    // Only an empty pool's supplier matters here (whether it still sells): one read for those, none otherwise.
    const empty = stale.filter((p) => !counts[p])
    const offers = empty.length ? await passThroughOffers(req.scope, empty) : new Map()
    for (const p of stale) cache.set(p, { available: counts[p], pass_through: !counts[p] && offers.has(p), at: now })
  }
  res.json({
    stock: sold.map((v) => {
      if (!v.card_pool?.id) {
        const { available } = bundleCache.get(v.card_bundle!.id)!
        return { variant_id: v.id, available, sold_out: available === 0, pass_through: false, bundle: true }
      }
      const { available, pass_through } = cache.get(v.card_pool.id)!
      return { variant_id: v.id, available, sold_out: available === 0 && !pass_through, pass_through }
    }),
  })
}
