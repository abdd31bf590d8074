"use server"

import type { HttpTypes } from "@medusajs/types"
import { sdk } from "../config"
import { backendHeaders, getAuthToken, getReceipt } from "./cookies"
import { errorMessage, errorStatus } from "./errors"

export type OrderStatus = "awaiting_payment" | "delivering" | "procuring" | "delivered" | "held" | "refunded" | "canceled"
/** Where a voucher of the store (核销) stands, as the backend says with the shopper's codes. */
export type VoucherState = {
  kind: "single_use" | "multi_use" | "stored_value"
  status: "redeemable" | "used_up" | "disabled" | "expired"
  remaining_uses: number | null
  remaining_value: string | null
  face_value: string | null
  uses: number | null
  currency_code: string | null
  redeemed_count: number
  last_redeemed_at: string | null
}
export type MaskedCode = { id: string; status: string; mask: string; has_password: boolean; expires_at?: string | null; voucher?: VoucherState }
export type RevealedCode = { id: string; mask: string; code: string; password: string | null }

/** Where an order stands, for its confirmation page (polled while it is not final). */
export async function getOrderStatus(orderId: string): Promise<{ order_id: string; display_id: number | null; status: OrderStatus; codes_delivered: number } | null> {
  try {
    return await sdk.client.fetch(`/store/virtual-goods/order-status/${encodeURIComponent(orderId)}`, { headers: await backendHeaders(), cache: "no-store" })
  } catch (e) {
    if (errorStatus(e) === 404) return null
    throw e
  }
}

/** An order as Medusa's store API shows it (the confirmation's summary: items, total, email). */
export async function getOrder(orderId: string): Promise<HttpTypes.StoreOrder | null> {
  try {
    const { order } = await sdk.store.order.retrieve(orderId, { fields: "id,display_id,email,currency_code,total,customer_id,created_at,*items" }, await backendHeaders())
    return order as HttpTypes.StoreOrder
  } catch {
    return null
  }
}

/** The signed-in customer's codes of one of their orders, masked; null for a guest or another's order. */
export async function getCustomerOrderCodes(orderId: string): Promise<MaskedCode[] | null> {
  if (!(await getAuthToken())) return null
  try {
    const { card_codes } = await sdk.client.fetch<{ card_codes: MaskedCode[] }>(`/store/virtual-goods/orders/${encodeURIComponent(orderId)}/codes`, {
      headers: await backendHeaders(),
      cache: "no-store",
    })
    return card_codes
  } catch {
    return null
  }
}

/** Reveals one of the signed-in customer's codes (audited by the backend). */
export async function revealCustomerCode(orderId: string, codeId: string): Promise<{ code?: RevealedCode; error?: string }> {
  try {
    const { card_code } = await sdk.client.fetch<{ card_code: RevealedCode }>(
      `/store/virtual-goods/orders/${encodeURIComponent(orderId)}/codes/${encodeURIComponent(codeId)}/reveal`,
      { method: "POST", body: {}, headers: await backendHeaders(), cache: "no-store" }
    )
    return { code: card_code }
  } catch (e) {
    return { error: errorMessage(e) }
  }
}

/** A code a campaign gave the signed-in customer (e.g. for registering), masked. */
export type Gift = { id: string; campaign_name: string | null; created_at: string; card_codes: MaskedCode[] }

/** The codes campaigns gave the signed-in customer, newest first; none for a guest. */
export async function listCustomerGifts(): Promise<Gift[]> {
  if (!(await getAuthToken())) return []
  try {
    const { gifts } = await sdk.client.fetch<{ gifts: Gift[] }>(`/store/virtual-goods/gifts`, { headers: await backendHeaders(), cache: "no-store" })
    return gifts.filter((g) => g.card_codes.length)
  } catch {
    return []
  }
}

/** Reveals a code a campaign gave the signed-in customer (audited by the backend). */
export async function revealCustomerGiftCode(giftId: string, codeId: string): Promise<{ code?: RevealedCode; error?: string }> {
  try {
    const { card_code } = await sdk.client.fetch<{ card_code: RevealedCode }>(
      `/store/virtual-goods/gifts/${encodeURIComponent(giftId)}/codes/${encodeURIComponent(codeId)}/reveal`,
      { method: "POST", body: {}, headers: await backendHeaders(), cache: "no-store" }
    )
    return { code: card_code }
  } catch (e) {
    return { error: errorMessage(e) }
  }
}

/** The signed-in customer's orders (newest first), each with its codes masked. */
export async function listCustomerCodes(): Promise<{ order: HttpTypes.StoreOrder; codes: MaskedCode[] }[]> {
  if (!(await getAuthToken())) return []
  const { orders } = await sdk.store.order.list({ fields: "id,display_id,created_at,currency_code,total,*items", limit: 50, order: "-created_at" }, await backendHeaders())
  const out: { order: HttpTypes.StoreOrder; codes: MaskedCode[] }[] = []
  for (const order of orders) {
    const codes = await getCustomerOrderCodes(order.id)
    if (codes?.length) out.push({ order, codes })
  }
  return out
}

export type GuestLink = { order_id: string; uses_left: number; expires_at: string; card_codes: MaskedCode[] }

/** What a guest link opens, masked, without spending a use; null when the link is invalid, used up or expired. */
export async function lookupGuestLink(token: string): Promise<GuestLink | null> {
  try {
    return await sdk.client.fetch<GuestLink>(`/store/virtual-goods/reveal-links/lookup`, { method: "POST", body: { token }, headers: await backendHeaders(), cache: "no-store" })
  } catch (e) {
    if (errorStatus(e) === 404) return null
    throw e
  }
}

/** Reveals a guest link's codes, spending one of its uses (audited). */
export async function revealGuestLink(token: string): Promise<{ uses_left?: number; codes?: RevealedCode[]; error?: string }> {
  try {
    const res = await sdk.client.fetch<{ uses_left: number; card_codes: RevealedCode[] }>(`/store/virtual-goods/reveal-links/reveal`, {
      method: "POST",
      body: { token },
      headers: await backendHeaders(),
      cache: "no-store",
    })
    return { uses_left: res.uses_left, codes: res.card_codes }
  } catch (e) {
    return { error: errorStatus(e) === 404 ? "invalid" : errorMessage(e) }
  }
}

/** Guests' order lookup: email + order number → a fresh link mailed to the order's address (the answer never tells). */
export async function requestOrderLink(_prev: { sent?: boolean; error?: string } | null, form: FormData): Promise<{ sent?: boolean; error?: string }> {
  try {
    await sdk.client.fetch(`/store/virtual-goods/order-lookup`, {
      method: "POST",
      body: { email: String(form.get("email") ?? "").trim(), order_number: String(form.get("order_number") ?? "").trim() },
      headers: await backendHeaders(),
    })
    return { sent: true }
  } catch (e) {
    return { error: errorMessage(e) }
  }
}

/** What this browser's receipt opens for an order it checked out (masked), or null without a receipt for it. */
export async function getReceiptCodes(orderId: string): Promise<GuestLink | null> {
  const receipt = await getReceipt()
  if (receipt?.owner !== orderId) return null
  try {
    return await sdk.client.fetch<GuestLink>(`/store/virtual-goods/receipts/lookup`, {
      method: "POST",
      body: { order_id: orderId, secret: receipt.secret },
      headers: await backendHeaders(),
      cache: "no-store",
    })
  } catch (e) {
    if (errorStatus(e) === 404) return null
    throw e
  }
}

/** Reveals an order's codes to the browser that checked it out (one use of its receipt, audited). */
export async function revealReceipt(orderId: string): Promise<{ uses_left?: number; codes?: RevealedCode[]; error?: string }> {
  const receipt = await getReceipt()
  if (receipt?.owner !== orderId) return { error: "invalid" }
  try {
    const res = await sdk.client.fetch<{ uses_left: number; card_codes: RevealedCode[] }>(`/store/virtual-goods/receipts/reveal`, {
      method: "POST",
      body: { order_id: orderId, secret: receipt.secret },
      headers: await backendHeaders(),
      cache: "no-store",
    })
    return { uses_left: res.uses_left, codes: res.card_codes }
  } catch (e) {
    return { error: errorStatus(e) === 404 ? "invalid" : errorMessage(e) }
  }
}
