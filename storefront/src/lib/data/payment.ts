import "server-only"
import { sdk, stripeKey, systemPaymentProvider } from "../config"
import { backendHeaders } from "./cookies"
import { choosePayment, type PaymentChoice } from "@modules/checkout/payment-choice"

let warned = false

/** The payment providers enabled in a region (`GET /store/payment-providers`); empty when the call fails. */
export async function listPaymentProviderIds(regionId: string): Promise<string[]> {
  try {
    const { payment_providers } = await sdk.store.payment.listPaymentProviders({ region_id: regionId }, await backendHeaders())
    return payment_providers.map((p) => p.id)
  } catch {
    return []
  }
}

/**
 * How a cart in this region pays: Stripe when `NEXT_PUBLIC_STRIPE_KEY` holds a publishable key and the region has
 * Stripe's providers, the system provider otherwise. The region's providers are asked only when a key is configured.
 */
export async function paymentChoiceFor(regionId: string | null | undefined): Promise<PaymentChoice> {
  const key = stripeKey()
  const regionProviderIds = key && regionId ? await listPaymentProviderIds(regionId) : []
  const choice = choosePayment({ stripeKey: key, regionProviderIds, systemProviderId: systemPaymentProvider() })
  if (choice.mode === "system" && choice.reason !== "no_key" && !warned) {
    warned = true
    // The key itself is never printed.
    console.warn(
      choice.reason === "not_a_publishable_key"
        ? "[storefront] NEXT_PUBLIC_STRIPE_KEY is not a publishable key (pk_test_… / pk_live_…): it is not used, the checkout uses the system provider"
        : `[storefront] NEXT_PUBLIC_STRIPE_KEY is set but region ${regionId} has none of Stripe's providers: the checkout uses the system provider`
    )
  }
  return choice
}
