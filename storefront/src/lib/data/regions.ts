import "server-only"
import type { HttpTypes } from "@medusajs/types"
import { sdk } from "../config"

let cache: { at: number; regions: HttpTypes.StoreRegion[] } | null = null

/** The store's regions, kept for a minute. */
export async function listRegions(): Promise<HttpTypes.StoreRegion[]> {
  if (cache && Date.now() - cache.at < 60_000) return cache.regions
  const { regions } = await sdk.store.region.list({ fields: "id,name,currency_code,*countries" })
  cache = { at: Date.now(), regions }
  return regions
}

/** The region that serves a country (`us`, `cn`, …), else the first region. */
export async function getRegion(countryCode: string): Promise<HttpTypes.StoreRegion | null> {
  const regions = await listRegions()
  return regions.find((r) => r.countries?.some((c) => c.iso_2 === countryCode.toLowerCase())) ?? regions[0] ?? null
}
