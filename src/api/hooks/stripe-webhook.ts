import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { summarizeStripeEvent } from "../../modules/payment-reconciliation"
import { recordPaymentWebhookWorkflow } from "../../workflows/payments/workflows/record-payment-webhook"
import { paymentReconciliationModule } from "../../workflows/payments/utils/payment-reconciliation-module"

/** The webhook routes of the plugin's Stripe providers: `/hooks/payment/<identifier>_<id>`, e.g. `stripe_stripe`. */
export const isStripeWebhookProvider = (provider: string | undefined): boolean => !!provider && /^stripe(-[a-z-]+)?_[a-z0-9_-]+$/i.test(provider)

/**
 * In front of Medusa's `POST /hooks/payment/:provider` for Stripe: Medusa answers 200 and queues the event before any
 * signature check, so this checks the `Stripe-Signature` over the raw body first — a bad, stale or tampered one is a
 * 400 and nothing is stored or queued — then records the event in the inbox, once per event id, before Medusa's
 * handler answers. A duplicate is answered 200 and not queued again.
 */
export async function verifyAndRecordStripeWebhook(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const provider = req.params?.provider
  const module = paymentReconciliationModule(req.scope)
  if (!isStripeWebhookProvider(provider) || !module.verifiesWebhooks()) return next()
  let event
  try {
    event = module.verifyWebhook(req.rawBody, req.headers["stripe-signature"])
  } catch (e: unknown) {
    res.status(400).json({ type: "invalid_data", message: String((e as Error | null)?.message ?? e) })
    return
  }
  const { result } = await recordPaymentWebhookWorkflow(req.scope).run({ input: { provider_id: provider as string, event: summarizeStripeEvent(event) } })
  if (!result.created) {
    res.status(200).json({ received: true, duplicate: true })
    return
  }
  next()
}
