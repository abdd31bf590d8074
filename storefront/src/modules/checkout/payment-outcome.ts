/**
 * What the shopper sees after paying with Stripe — pure functions (no imports), unit-tested in
 * test/checkout-payment.test.mjs.
 *
 * The cart is completed after Stripe confirms the payment: in the page when no redirect was needed, or on the return
 * page (`/[countryCode]/checkout/stripe-return`) when Stripe sent the shopper away (Alipay, WeChat Pay, a bank's
 * 3-D Secure page). Completion can answer before the payment is final (Alipay and WeChat Pay confirm asynchronously):
 * the backend then completes the cart itself when Stripe's webhook arrives and emails the codes, so the shopper is told
 * the payment is being processed — never shown a raw error.
 */

/** What completing the cart answered (Medusa's `POST /store/carts/:id/complete`). */
export type Completion =
  /** The cart is an order (now, or already: completing twice answers the same order). */
  | { type: "order"; orderId: string }
  /** 200 with the cart: a payment error (`payment_authorization_error`, `payment_requires_more_error`). */
  | { type: "cart"; errorType: string | null }
  /** The call failed: 409 while another request (the webhook) completes the cart, 400 when it cannot be, … */
  | { type: "failed"; status: number | null }

/** Stripe's word on the payment, as far as the storefront knows it. */
export type StripeOutcome = "paid" | "pending" | "failed" | "unknown"

/**
 * Stripe's status of the payment: the `redirect_status` Stripe appends to the return URL (`succeeded`, `processing`,
 * `failed`), or a PaymentIntent's status after an in-page confirmation.
 */
export function stripeOutcome(status: string | null | undefined): StripeOutcome {
  switch (status) {
    case "succeeded":
    case "requires_capture":
      return "paid"
    case "processing":
    case "requires_action":
    case "requires_confirmation":
      return "pending"
    case "failed":
    case "requires_payment_method":
    case "canceled":
      return "failed"
    default:
      return "unknown"
  }
}

export type ReturnView =
  /** Go to the order's confirmation. */
  | { view: "confirmed"; orderId: string }
  /** The payment is being processed: the codes will be emailed; the order can be looked up. */
  | { view: "processing" }
  /** Stripe says the payment did not go through: nothing was charged, the cart is still there to try again. */
  | { view: "failed" }

/**
 * The view of a completion: the order when there is one; "failed" only when Stripe itself says the payment failed
 * (the cart is then still open and the shopper may try again); "processing" in every other case — a payment still
 * pending, another request completing the cart, or a cart that cannot become an order after a payment went through
 * (the backend's reconciliation completes it or refunds the payment, and emails the shopper).
 */
export function returnView(completion: Completion, stripeStatus: string | null | undefined): ReturnView {
  if (completion.type === "order") return { view: "confirmed", orderId: completion.orderId }
  if (stripeOutcome(stripeStatus) === "failed") return { view: "failed" }
  return { view: "processing" }
}

/** Stripe's `redirect_status` of a return URL's query (the first value when repeated). */
export function redirectStatusOf(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value
  return v && /^[a-z_]+$/.test(v) ? v : null
}

/** A cart id as Medusa makes them (`cart_01J…`), from the return URL's query; null for anything else. */
export function cartIdOf(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value
  return v && /^cart_[A-Za-z0-9]{1,64}$/.test(v) ? v : null
}

/** The order confirmation's path (the country segment checked: never a `//host` URL). */
export function confirmationPath(countryCode: string, orderId: string): string {
  const country = /^[a-z]{2}$/.test(countryCode) ? countryCode : "us"
  return `/${country}/order/${encodeURIComponent(orderId)}/confirmed`
}

/** When the processing view asks again (ms after it shows): a webhook usually lands within seconds. */
export const RECHECK_DELAYS_MS = [3_000, 6_000, 12_000] as const
