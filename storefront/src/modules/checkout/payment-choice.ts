/**
 * Which payment the checkout offers — pure functions (no imports), shared by the server actions, the checkout page and
 * its client components, and unit-tested in test/checkout-payment.test.mjs.
 *
 * With a Stripe publishable key configured (`NEXT_PUBLIC_STRIPE_KEY`) and Stripe's providers enabled in the cart's
 * region, the shopper pays with Stripe's Payment Element; otherwise with the system provider, as a store without
 * Stripe always has.
 */

/** The backend's Stripe providers (the plugin's provider module, registered with `id: "stripe"`). */
export const STRIPE_PROVIDERS = {
  /** Cards, plus whatever the Stripe account enables for automatic payment methods (the Payment Element lists them). */
  card: "pp_stripe_stripe",
  alipay: "pp_stripe-alipay_stripe",
  wechat_pay: "pp_stripe-wechat-pay_stripe",
} as const

export type StripeMethod = keyof typeof STRIPE_PROVIDERS
export const STRIPE_METHODS: StripeMethod[] = ["card", "alipay", "wechat_pay"]

export const SYSTEM_PROVIDER = "pp_system_default"

export type StripeOption = { method: StripeMethod; providerId: string }

export type PaymentChoice =
  | { mode: "stripe"; publishableKey: string; options: StripeOption[] }
  | { mode: "system"; providerId: string; reason: "no_key" | "not_a_publishable_key" | "no_stripe_provider_in_region" }

/**
 * A publishable key (`pk_test_…` / `pk_live_…`) — the only kind that may reach a browser. Anything else (a secret
 * `sk_…` or restricted `rk_…` key put in the wrong variable) is refused, so that it is never sent to shoppers.
 */
export function isPublishableKey(key: string | null | undefined): key is string {
  return typeof key === "string" && /^pk_(test|live)_[A-Za-z0-9]+$/.test(key.trim())
}

/**
 * Stripe when a publishable key is configured and the region has at least one of Stripe's providers (only those it
 * has are offered, cards first); the system provider otherwise (`systemProviderId`, default `pp_system_default`).
 */
export function choosePayment(input: { stripeKey: string | null | undefined; regionProviderIds: readonly string[]; systemProviderId?: string | null }): PaymentChoice {
  const providerId = input.systemProviderId?.trim() || SYSTEM_PROVIDER
  const key = input.stripeKey?.trim()
  if (!key) return { mode: "system", providerId, reason: "no_key" }
  if (!isPublishableKey(key)) return { mode: "system", providerId, reason: "not_a_publishable_key" }
  const inRegion = new Set(input.regionProviderIds)
  const options = STRIPE_METHODS.filter((m) => inRegion.has(STRIPE_PROVIDERS[m])).map((m) => ({ method: m, providerId: STRIPE_PROVIDERS[m] }))
  if (!options.length) return { mode: "system", providerId, reason: "no_stripe_provider_in_region" }
  return { mode: "stripe", publishableKey: key, options }
}

/** The option of a method the shopper picked, when the choice offers it (null otherwise: never trust the browser's pick). */
export function stripeOptionOf(choice: PaymentChoice, method: string): StripeOption | null {
  if (choice.mode !== "stripe") return null
  return choice.options.find((o) => o.method === method) ?? null
}

/** A country segment safe to put at the start of a path (`us`, `cn`); anything else falls back (no `//host` redirects). */
export function countrySegment(value: string | null | undefined, fallback: string): string {
  const v = (value ?? "").toLowerCase()
  return /^[a-z]{2}$/.test(v) ? v : fallback
}

/** Where Stripe sends the shopper back after a redirect (Alipay, WeChat Pay on a phone, 3-D Secure by redirect). */
export function stripeReturnUrl(origin: string, countryCode: string, cartId: string): string {
  const url = new URL(`/${countrySegment(countryCode, "us")}/checkout/stripe-return`, origin)
  url.searchParams.set("cart_id", cartId)
  return url.toString()
}

/** The Payment Element's language for the storefront's. */
export function elementsLocale(lang: string): "zh" | "en" {
  return lang.toLowerCase().startsWith("zh") ? "zh" : "en"
}
