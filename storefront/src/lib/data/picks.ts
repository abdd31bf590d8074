"use server"

import { revalidatePath } from "next/cache"
import { sdk } from "../config"
import { backendHeaders } from "./cookies"
import { errorMessage, errorStatus } from "./errors"
import { cartIdFor } from "./cart"

/** Buyer's choice (自选卡密): a pool's rule as the store tells it — the premium in basis points, what labels show. */
export type PickRule = { premium_bp: number; show_first: number; show_last: number }
export type PickableCode = { id: string; label: string }

/**
 * The codes a shopper may pick for a variant (labels only, never codes), filtered by `q`; null when the variant does
 * not offer picking (the backend's 404).
 */
export async function listPickableCodes(variantId: string, q = "", limit = 20): Promise<{ pick: PickRule; codes: PickableCode[]; count: number } | null> {
  const params = new URLSearchParams({ limit: String(limit) })
  if (q.trim()) params.set("q", q.trim())
  try {
    return await sdk.client.fetch<{ pick: PickRule; codes: PickableCode[]; count: number }>(
      `/store/virtual-goods/variants/${encodeURIComponent(variantId)}/picks?${params}`,
      { headers: await backendHeaders(), cache: "no-store" }
    )
  } catch (e) {
    if (errorStatus(e) === 404) return null
    throw e
  }
}

/** Picks a code into the shopper's cart (created on first use): its own line at the variant's price plus the premium. */
export async function pickCode(input: { countryCode: string; variantId: string; codeId: string }): Promise<{ error?: string }> {
  try {
    // The cart the picked line goes to: the shopper's, created like any first add would create it.
    const cartId = await cartIdFor(input.countryCode)
    await sdk.client.fetch(`/store/virtual-goods/carts/${cartId}/picks`, {
      method: "POST",
      body: { variant_id: input.variantId, code_id: input.codeId },
      headers: await backendHeaders(),
    })
  } catch (e) {
    return { error: errorMessage(e) }
  }
  revalidatePath("/", "layout")
  return {}
}
