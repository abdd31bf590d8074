import path from "path"
import type Stripe from "stripe"
import { stripeHostConfig } from "../../utils/stripe-host"

export { stripeHostConfig }

/**
 * Options of the plugin's Stripe providers: Medusa's Stripe options plus `apiBaseUrl`, where the Stripe SDK sends its
 * requests (default Stripe's own API). A Stripe-compatible endpoint — a company's egress proxy, `stripe-mock`, the
 * test suite's emulator — is named here instead of patching the SDK.
 */
export type VirtualGoodsStripeOptions = {
  apiKey: string
  webhookSecret: string
  capture?: boolean
  automaticPaymentMethods?: boolean
  paymentDescription?: string
  apiBaseUrl?: string
}

type StripeConstructor = new (key: string, config?: Stripe.StripeConfig) => Stripe

/**
 * The Stripe SDK that Medusa's provider is built with: resolved from `@medusajs/payment-stripe`'s own folder, so the
 * client keeps the version (and the API version) the provider was written against, whatever version the app hoists.
 */
function providerSdk(): StripeConstructor {
  const providerDir = path.dirname(require.resolve("@medusajs/payment-stripe"))
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded: StripeConstructor | { default: StripeConstructor } = require(require.resolve("stripe", { paths: [providerDir] }))
  return "default" in loaded ? loaded.default : loaded
}

/**
 * A Stripe client like the provider's (the same SDK, key and retry policy) that talks to `apiBaseUrl`; the provider's
 * own client when no base URL is given.
 */
export function repointStripe(sdk: Stripe, apiKey: string, apiBaseUrl: string | undefined): Stripe {
  const host = stripeHostConfig(apiBaseUrl)
  if (!host) return sdk
  const StripeSdk = providerSdk()
  return new StripeSdk(apiKey, host)
}
