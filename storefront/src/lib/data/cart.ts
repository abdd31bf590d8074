"use server"

import type { HttpTypes } from "@medusajs/types"
import { revalidatePath } from "next/cache"
import { redirect } from "next/navigation"
import { DEFAULT_COUNTRY, sdk } from "../config"
import { randomBytes } from "crypto"
import { backendHeaders, ensureDeviceId, getCartId, getLang, getReceipt, removeCartId, setCartId, setReceipt } from "./cookies"
import { getRegion } from "./regions"
import { translator } from "../i18n"
import { errorMessage, errorStatus } from "./errors"
import { paymentChoiceFor } from "./payment"
import { countrySegment, stripeOptionOf, type StripeMethod } from "@modules/checkout/payment-choice"
import { returnView, type Completion, type ReturnView } from "@modules/checkout/payment-outcome"
import { missingRecipients, topUpLinesOf } from "@modules/virtual-goods/topup-recipient"
import { getTopUpFields } from "./topup"

const CART_FIELDS = "id,email,currency_code,total,subtotal,region_id,customer_id,locale,*items,*items.variant,*items.product"

/**
 * Why a cart cannot be paid yet: its first top-up line (直充) without a recipient, in the shopper's language; null
 * when every top-up line has one. Checked before any payment starts — with Stripe the money would otherwise be taken
 * before the backend's completion refuses the cart.
 */
async function missingRecipientError(cart: HttpTypes.StoreCart): Promise<string | null> {
  const items = cart.items ?? []
  const missing = missingRecipients(topUpLinesOf(items, await getTopUpFields(items.map((i) => i.variant_id ?? ""))))
  return missing.length ? translator(await getLang())("topup.missingLine", { title: missing[0].title }) : null
}

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

/** The id of the shopper's cart in the country's region, created on first use (buyer's choice adds its lines itself). */
export async function cartIdFor(countryCode: string): Promise<string> {
  return (await ensureCart(countryCode)).id
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
 * Pays and places the order — no address, no shipping method: email, the system payment (the demo's
 * `pp_system_default`, which takes no money), completion. On success the shopper goes to the order's confirmation
 * (by the order's own id and the country in the URL: a virtual order has no shipping address to take a country
 * from). A refusal (sold out, a risk block) comes back as a message and the cart stays. A store that pays with Stripe
 * does not take this path (see `startStripePayment`), and this action refuses to be called there.
 */
export async function placeOrder(countryCode: string, _prev: { error?: string } | null, form: FormData): Promise<{ error?: string }> {
  const cartId = await getCartId()
  if (!cartId) return { error: "Your cart is empty." }
  const email = String(form.get("email") ?? "").trim()
  let orderId: string
  try {
    const headers = await backendHeaders()
    const { cart } = await sdk.store.cart.update(cartId, { email, locale: await getLang() }, { fields: CART_FIELDS }, headers)
    const payment = await paymentChoiceFor(cart.region_id)
    if (payment.mode !== "system") return { error: translator(await getLang())("checkout.stripeOnly") }
    const missing = await missingRecipientError(cart)
    if (missing) return { error: missing }
    await sdk.store.payment.initiatePaymentSession(cart, { provider_id: payment.providerId }, {}, headers)
    const done = await sdk.store.cart.complete(cartId, {}, headers)
    if (done.type !== "order") return { error: done.error?.message || "The order could not be placed." }
    orderId = done.order.id
  } catch (e) {
    return { error: errorMessage(e) }
  }
  await settleOrder(cartId, orderId)
  redirect(`/${countrySegment(countryCode, DEFAULT_COUNTRY)}/order/${orderId}/confirmed`)
}

/**
 * Once a cart is an order: this browser's cart cookie goes (when it is that cart) and its receipt is re-keyed from the
 * cart to the order, so that the confirmation shows the codes to this browser.
 */
async function settleOrder(cartId: string, orderId: string): Promise<void> {
  if ((await getCartId()) === cartId) await removeCartId()
  const receipt = await getReceipt()
  if (receipt?.owner === cartId) await setReceipt(orderId, receipt.secret)
  revalidatePath("/", "layout")
}

export type StripeSession = { cartId: string; method: StripeMethod; clientSecret: string }

/**
 * Starts paying with Stripe: saves the email (and the shopper's language) on the cart and initiates a payment session
 * with the provider of the method picked — `pp_stripe_stripe` (the Payment Element with automatic payment methods),
 * `pp_stripe-alipay_stripe` or `pp_stripe-wechat-pay_stripe` — when the cart's region offers it. Answers the
 * session's client secret, which the Payment Element needs (it lets the browser confirm this one payment, nothing
 * more). Each call makes a new session; the backend deletes the previous one.
 */
export async function startStripePayment(input: { email: string; method: string }): Promise<StripeSession | { error: string }> {
  const t = translator(await getLang())
  const cartId = await getCartId()
  if (!cartId) return { error: t("cart.empty") }
  try {
    const headers = await backendHeaders()
    const { cart } = await sdk.store.cart.update(
      cartId,
      { email: input.email.trim(), locale: await getLang() },
      { fields: `${CART_FIELDS},payment_collection.id` },
      headers
    )
    const missing = await missingRecipientError(cart)
    if (missing) return { error: missing }
    const option = stripeOptionOf(await paymentChoiceFor(cart.region_id), input.method)
    if (!option) return { error: t("checkout.methodUnavailable") }
    const providerId = option.providerId
    const { payment_collection } = await sdk.store.payment.initiatePaymentSession(cart, { provider_id: providerId }, {}, headers)
    const session = payment_collection.payment_sessions?.find((s) => s.provider_id === providerId)
    const clientSecret = session?.data?.client_secret
    if (typeof clientSecret !== "string" || !clientSecret) return { error: t("checkout.paymentNotStarted") }
    return { cartId, method: option.method, clientSecret }
  } catch (e) {
    return { error: errorMessage(e) }
  }
}

/**
 * Holds the cart's codes while the shopper pays (`POST /store/virtual-goods/carts/:id/payment-hold`), right before
 * Stripe confirms the payment: codes sold out meanwhile, or a risk refusal, come back as the backend's message and the
 * shopper is not charged. A top-up line without its recipient is refused here too, before anything is charged.
 * Idempotent per cart.
 */
export async function holdCartForPayment(): Promise<{ error?: string }> {
  const cartId = await getCartId()
  if (!cartId) return { error: translator(await getLang())("cart.empty") }
  try {
    const { cart } = await sdk.store.cart.retrieve(cartId, { fields: CART_FIELDS }, await backendHeaders())
    const missing = await missingRecipientError(cart)
    if (missing) return { error: missing }
    await sdk.client.fetch(`/store/virtual-goods/carts/${encodeURIComponent(cartId)}/payment-hold`, { method: "POST", body: {}, headers: await backendHeaders(), cache: "no-store" })
    return {}
  } catch (e) {
    return { error: errorMessage(e) }
  }
}

/**
 * Completes a cart Stripe has confirmed the payment of — right after an in-page confirmation, or on the return page
 * (`stripeStatus`: Stripe's `redirect_status`, or the PaymentIntent's status) — and answers the view to show (see
 * `returnView`): the order (this browser's cart and receipt are settled here; the page then goes to its
 * confirmation), the payment being processed, or a payment that failed.
 */
export async function completeStripeCheckout(cartId: string, stripeStatus: string | null): Promise<ReturnView> {
  let completion: Completion
  try {
    const done = await sdk.store.cart.complete(cartId, {}, await backendHeaders())
    completion = done.type === "order" ? { type: "order", orderId: done.order.id } : { type: "cart", errorType: done.error?.type ?? null }
  } catch (e) {
    completion = { type: "failed", status: errorStatus(e) }
  }
  const view = returnView(completion, stripeStatus)
  if (view.view === "confirmed") await settleOrder(cartId, view.orderId)
  return view
}
