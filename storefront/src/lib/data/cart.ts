"use server"

import type { HttpTypes } from "@medusajs/types"
import { revalidatePath } from "next/cache"
import { redirect } from "next/navigation"
import { sdk } from "../config"
import { randomBytes } from "crypto"
import { backendHeaders, ensureDeviceId, getCartId, getLang, getReceipt, removeCartId, setCartId, setReceipt } from "./cookies"
import { getRegion } from "./regions"
import { errorMessage } from "./errors"

const CART_FIELDS = "id,email,currency_code,total,subtotal,region_id,customer_id,locale,*items,*items.variant,*items.product"

export async function retrieveCart(): Promise<HttpTypes.StoreCart | null> {
  const id = await getCartId()
  if (!id) return null
  try {
    const { cart } = await sdk.store.cart.retrieve(id, { fields: CART_FIELDS }, await backendHeaders())
    return cart.completed_at ? null : cart
  } catch {
    return null
  }
}

/** The shopper's cart in the country's region, created on first use (in the shopper's language). */
async function ensureCart(countryCode: string): Promise<HttpTypes.StoreCart> {
  const existing = await retrieveCart()
  const region = await getRegion(countryCode)
  if (!region) throw new Error(`No region serves "${countryCode}"`)
  if (existing) {
    if (existing.region_id === region.id) return existing
    const { cart } = await sdk.store.cart.update(existing.id, { region_id: region.id }, { fields: CART_FIELDS }, await backendHeaders())
    return cart
  }
  await ensureDeviceId()
  const { cart } = await sdk.store.cart.create({ region_id: region.id, locale: await getLang() }, { fields: CART_FIELDS }, await backendHeaders())
  await setCartId(cart.id)
  // This browser's receipt for the order the cart becomes: its codes on the confirmation page, without an account.
  const secret = randomBytes(32).toString("base64url")
  try {
    await sdk.client.fetch(`/store/virtual-goods/carts/${cart.id}/receipt`, { method: "POST", body: { secret }, headers: await backendHeaders() })
    await setReceipt(cart.id, secret)
  } catch {
    // Without a receipt the shopper still gets the emailed link.
  }
  return cart
}

export async function addToCart(input: { countryCode: string; variantId: string; quantity: number }): Promise<{ error?: string }> {
  try {
    const cart = await ensureCart(input.countryCode)
    await sdk.store.cart.createLineItem(cart.id, { variant_id: input.variantId, quantity: input.quantity }, {}, await backendHeaders())
  } catch (e) {
    return { error: errorMessage(e) }
  }
  revalidatePath("/", "layout")
  return {}
}

export async function removeLineItem(lineId: string): Promise<void> {
  const id = await getCartId()
  if (!id) return
  await sdk.store.cart.deleteLineItem(id, lineId, {}, await backendHeaders())
  revalidatePath("/", "layout")
}

/**
 * Pays and places the order — no address, no shipping method: email, the demo's system payment (a store with Stripe
 * starts that provider's session here instead), completion. On success the shopper goes to the order's confirmation
 * (by the order's own id and the country in the URL: a virtual order has no shipping address to take a country
 * from). A refusal (sold out, a risk block) comes back as a message and the cart stays.
 */
export async function placeOrder(countryCode: string, _prev: { error?: string } | null, form: FormData): Promise<{ error?: string }> {
  const cartId = await getCartId()
  if (!cartId) return { error: "Your cart is empty." }
  const email = String(form.get("email") ?? "").trim()
  let orderId: string
  try {
    const headers = await backendHeaders()
    const { cart } = await sdk.store.cart.update(cartId, { email, locale: await getLang() }, { fields: CART_FIELDS }, headers)
    await sdk.store.payment.initiatePaymentSession(cart, { provider_id: process.env.STOREFRONT_PAYMENT_PROVIDER || "pp_system_default" }, {}, headers)
    const done = await sdk.store.cart.complete(cartId, {}, headers)
    if (done.type !== "order") return { error: done.error?.message || "The order could not be placed." }
    orderId = done.order.id
  } catch (e) {
    return { error: errorMessage(e) }
  }
  await removeCartId()
  const receipt = await getReceipt()
  if (receipt?.owner === cartId) await setReceipt(orderId, receipt.secret)
  revalidatePath("/", "layout")
  redirect(`/${countryCode}/order/${orderId}/confirmed`)
}
