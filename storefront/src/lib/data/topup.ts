"use server"

import { revalidatePath } from "next/cache"
import { sdk } from "../config"
import { backendHeaders, getCartId, getLang } from "./cookies"
import { errorMessage, errorStatus } from "./errors"
import { translator } from "../i18n"
import type { TopUpFields } from "@modules/virtual-goods/topup-recipient"

/**
 * The recipient fields of variants, by variant id (`GET /store/virtual-goods/topup-fields`, one call per variant):
 * `top_up` false for a variant that is not a top-up. A backend without top-ups (404) answers none; other failures throw.
 */
export async function getTopUpFields(variantIds: string[]): Promise<Record<string, TopUpFields>> {
  const ids = [...new Set(variantIds.filter(Boolean))].slice(0, 100)
  if (!ids.length) return {}
  const headers = await backendHeaders()
  const answers = await Promise.all(
    ids.map(async (id) => {
      try {
        return await sdk.client.fetch<TopUpFields>(`/store/virtual-goods/topup-fields?${new URLSearchParams({ variant_id: id })}`, { headers, cache: "no-store" })
      } catch (e) {
        if (errorStatus(e) === 404) return null
        throw e
      }
    })
  )
  const out: Record<string, TopUpFields> = {}
  for (const a of answers) if (a) out[a.variant_id] = { variant_id: a.variant_id, top_up: a.top_up === true, fields: Array.isArray(a.fields) ? a.fields : [] }
  return out
}

/**
 * Sets the recipient of one of the shopper's cart lines
 * (`POST /store/virtual-goods/carts/:cart_id/line-items/:line_id/recipient`, the cart from this browser's cookie). The
 * values travel in the request's body only and are never logged; the answer holds only the recipient's id and mask,
 * which the line's metadata keeps. A refusal comes back as the backend's message (it names the field and the rule,
 * never the value).
 */
export async function setTopUpRecipient(lineId: string, recipient: Record<string, string>): Promise<{ recipient?: { id: string; masked: string }; error?: string }> {
  const cartId = await getCartId()
  if (!cartId) return { error: translator(await getLang())("cart.empty") }
  try {
    const res = await sdk.client.fetch<{ recipient: { id: string; masked: string } }>(
      `/store/virtual-goods/carts/${encodeURIComponent(cartId)}/line-items/${encodeURIComponent(lineId)}/recipient`,
      { method: "POST", body: { recipient }, headers: await backendHeaders(), cache: "no-store" }
    )
    revalidatePath("/", "layout")
    return { recipient: { id: res.recipient.id, masked: res.recipient.masked } }
  } catch (e) {
    return { error: errorMessage(e) }
  }
}
