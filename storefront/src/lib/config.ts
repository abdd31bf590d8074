import Medusa from "@medusajs/js-sdk"

/** Where the Medusa backend listens, from the storefront's server (never the browser: every call goes through it). */
export const MEDUSA_BACKEND_URL = process.env.MEDUSA_BACKEND_URL || "http://localhost:9000"

/** The store's publishable API key (`pk_…`), read at request time so one build serves any store. */
export const publishableKey = () => process.env.MEDUSA_PUBLISHABLE_KEY || process.env.NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY || ""

/** Country used when the URL has none (and the region the catalog prices in). */
export const DEFAULT_COUNTRY = (process.env.NEXT_PUBLIC_DEFAULT_REGION || "us").toLowerCase()

export const sdk = new Medusa({
  baseUrl: MEDUSA_BACKEND_URL,
  debug: false,
  publishableKey: publishableKey(),
  // The server keeps no token of its own: each call carries the shopper's, from their httpOnly cookie.
  auth: { type: "jwt", jwtTokenStorageMethod: "nostore" },
})

/**
 * Stripe's publishable key (`pk_test_…` / `pk_live_…`), read on the server at request time and handed to the checkout
 * as a prop — so one build serves a store with Stripe and one without (a plain `process.env.NEXT_PUBLIC_…` would be
 * inlined at build time). Unset: the checkout uses the system provider.
 */
export const stripeKey = () => {
  const name = "NEXT_PUBLIC_STRIPE_KEY"
  return process.env[name] || ""
}

/** The provider of the checkout without Stripe (the demo's `pp_system_default`, which takes no money). */
export const systemPaymentProvider = () => process.env.STOREFRONT_PAYMENT_PROVIDER || "pp_system_default"
