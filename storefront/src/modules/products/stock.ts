import type { HttpTypes } from "@medusajs/types"
import type { VariantStock } from "@lib/data/products"

/**
 * What a product can still sell: virtual variants from the vault's stock route, others from Medusa's inventory
 * (unmanaged inventory: unlimited; an empty pool that buys from its supplier at delivery too). Sold out when no variant can sell.
 */
export function productStock(product: HttpTypes.StoreProduct, stock: Map<string, VariantStock>) {
  let available = 0
  let unlimited = false
  for (const v of product.variants ?? []) {
    const s = stock.get(v.id)
    if (s?.pass_through) unlimited = true
    else if (s) available += s.available
    else if (v.manage_inventory === false || v.allow_backorder) unlimited = true
    else available += Math.max(0, Number(v.inventory_quantity ?? 0))
  }
  return { available, unlimited, sold_out: !unlimited && available <= 0 }
}
