import Stripe from "stripe"
import { MedusaError } from "@medusajs/framework/utils"
import { stripeHostConfig } from "../../../utils/stripe-host"
import type { ResolvedPaymentReconciliationOptions } from "../utils/options"
import type { PaymentReconciliationDeps } from "../utils/sql"

/** A payment intent as reconciliation reads it back: status, amounts in the smallest unit, its latest charge. */
export type PaymentIntentReadBack = {
  id: string
  status: Stripe.PaymentIntent.Status
  amount: number
  amount_received: number
  currency: string
  session_id: string | null
  failure_message: string | null
  charge: {
    id: string
    amount_refunded: number
    refunded: boolean
    risk_level: string | null
    risk_score: number | null
    card_fingerprint: string | null
  } | null
}

/**
 * Stripe as reconciliation sees it: verifying webhook signatures, and reading payment intents back when an event
 * may be missing. It never moves money — captures and refunds go through Medusa's payment module and its provider.
 */
export default class StripeApiService {
  protected readonly options_: ResolvedPaymentReconciliationOptions
  /** Built on first use (held in an object: the service instance is a proxy). */
  protected readonly state_: { client: Stripe | null } = { client: null }

  constructor({ paymentReconciliationOptions }: PaymentReconciliationDeps) {
    this.options_ = paymentReconciliationOptions
  }

  /** Whether webhooks are verified here (a signing secret is configured). */
  verifiesWebhooks(): boolean {
    return !!this.options_.webhook_secret
  }

  /** Whether payments can be read back (a secret key is configured). */
  readsBack(): boolean {
    return !!this.options_.api_key
  }

  protected client(): Stripe {
    if (!this.state_.client) {
      // Verification needs no key; a placeholder keeps the SDK happy when only the signing secret is configured.
      this.state_.client = new Stripe(this.options_.api_key ?? "sk_unset", { ...stripeHostConfig(this.options_.api_base_url), maxNetworkRetries: 2 })
    }
    return this.state_.client
  }

  /**
   * The event of a webhook request, if its `Stripe-Signature` matches the raw body under the signing secret and is
   * recent enough; otherwise an INVALID_DATA error naming what is wrong (missing header, bad or stale signature) —
   * never the secret or the body.
   */
  verifyWebhook(rawBody: Buffer | string | undefined, signature: string | string[] | undefined): Stripe.Event {
    if (!this.options_.webhook_secret) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET")
    }
    if (!rawBody || (typeof rawBody === "string" ? rawBody.length : rawBody.byteLength) === 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Stripe webhook: empty body")
    }
    const header = Array.isArray(signature) ? signature[0] : signature
    if (!header) throw new MedusaError(MedusaError.Types.INVALID_DATA, "Stripe webhook: missing Stripe-Signature header")
    try {
      return this.client().webhooks.constructEvent(rawBody, header, this.options_.webhook_secret, this.options_.webhook_tolerance_seconds)
    } catch (e: unknown) {
      const message = String((e as Error)?.message ?? e)
      const stale = /tolerance/i.test(message)
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        stale ? "Stripe webhook: the signature's timestamp is outside the tolerance" : "Stripe webhook: the signature does not match the payload"
      )
    }
  }

  /** A payment intent read back from Stripe, with its latest charge (Radar's outcome, refunds). */
  async retrievePaymentIntent(id: string): Promise<PaymentIntentReadBack> {
    if (!this.options_.api_key) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Stripe is not configured: set STRIPE_API_KEY")
    }
    const pi = await this.client().paymentIntents.retrieve(id, { expand: ["latest_charge"] })
    const charge = pi.latest_charge && typeof pi.latest_charge === "object" ? pi.latest_charge : null
    return {
      id: pi.id,
      status: pi.status,
      amount: pi.amount,
      amount_received: pi.amount_received ?? 0,
      currency: pi.currency,
      session_id: pi.metadata?.session_id ?? null,
      failure_message: pi.last_payment_error?.message ?? null,
      charge: charge
        ? {
            id: charge.id,
            amount_refunded: charge.amount_refunded,
            refunded: charge.refunded,
            risk_level: charge.outcome?.risk_level ?? null,
            risk_score: charge.outcome?.risk_score ?? null,
            card_fingerprint: charge.payment_method_details?.card?.fingerprint ?? null,
          }
        : null,
    }
  }
}
