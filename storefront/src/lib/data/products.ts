import "server-only"
import type { HttpTypes } from "@medusajs/types"
import { sdk } from "../config"
import { backendHeaders } from "./cookies"
import { getRegion } from "./regions"

/** `pass_through`: the pool is empty but still sells (its codes bought from a supplier at delivery). */
export type VariantStock = { variant_id: string; available: number; sold_out: boolean; pass_through?: boolean }

const PRODUCT_FIELDS = "id,title,handle,description,thumbnail,*variants,*variants.calculated_price"

/** Published products with their variants' prices in the country's region. */
export async function listProducts(countryCode: string): Promise<HttpTypes.StoreProduct[]> {
  const region = await getRegion(countryCode)
  const { products } = await sdk.store.product.list({ region_id: region?.id, fields: PRODUCT_FIELDS, limit: 100 }, await backendHeaders())
  return products
}

export async function getProduct(countryCode: string, handle: string): Promise<HttpTypes.StoreProduct | null> {
  const region = await getRegion(countryCode)
  const { products } = await sdk.store.product.list({ handle, region_id: region?.id, fields: PRODUCT_FIELDS, limit: 1 }, await backendHeaders())
  return products[0] ?? null
}

/**
 * What is left of variants sold from code pools (the vault is their one book of stock), from the plugin's stock
 * route. Variants that are not virtual are simply absent.
 */
export async function getStock(variantIds: string[]): Promise<Map<string, VariantStock>> {
  const out = new Map<string, VariantStock>()
  if (!variantIds.length) return out
  const query = new URLSearchParams()
  for (const id of variantIds.slice(0, 100)) query.append("variant_id", id)
  const { stock } = await sdk.client.fetch<{ stock: VariantStock[] }>(`/store/virtual-goods/stock?${query}`, {
    headers: await backendHeaders(),
    cache: "no-store",
  })
  for (const s of stock) out.set(s.variant_id, s)
  return out
}
