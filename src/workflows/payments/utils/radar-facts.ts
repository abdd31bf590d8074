import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { RadarRiskLevel } from "../../../modules/risk/evaluate"
import { paymentReconciliationModule } from "./payment-reconciliation-module"

export type RadarFacts = { radar_risk_level: RadarRiskLevel | null; radar_risk_score: number | null; card_fingerprint: string | null }

const RADAR_LEVELS: readonly string[] = ["normal", "elevated", "highest", "not_assessed"] satisfies RadarRiskLevel[]
const UNKNOWN: RadarFacts = { radar_risk_level: null, radar_risk_score: null, card_fingerprint: null }

/** A cart as the completion reads it (Medusa's `completeCartFields` include the payment sessions and their data). */
type CartWithSessions = { [field: string]: unknown }
type SessionLike = { provider_id?: string; status?: string; data?: { id?: unknown } | null }

/**
 * Stripe Radar's outcome for a cart being completed, as risk facts: the risk level and score of the payment intent's
 * latest charge and the card's fingerprint, read back from Stripe (the cart's session holds the intent id). Unknown
 * (nulls) for other providers, before the shopper confirmed, or when Stripe cannot be read — the rules keyed on them
 * then do not apply, and the checkout goes on.
 */
export async function radarFactsOfCart(container: MedusaContainer, cart: CartWithSessions): Promise<RadarFacts> {
  const module = paymentReconciliationModule(container)
  if (!module.readsBack()) return UNKNOWN
  const collection = cart.payment_collection as { payment_sessions?: SessionLike[] | null } | null | undefined
  const session = (collection?.payment_sessions ?? []).find((s) => s.provider_id?.startsWith("pp_stripe") && s.status !== "canceled")
  const intentId = session?.data?.id
  if (typeof intentId !== "string" || !intentId.startsWith("pi_")) return UNKNOWN
  try {
    const charge = (await module.retrievePaymentIntent(intentId)).charge
    if (!charge) return UNKNOWN
    return {
      radar_risk_level: charge.risk_level && RADAR_LEVELS.includes(charge.risk_level) ? (charge.risk_level as RadarRiskLevel) : null,
      radar_risk_score: charge.risk_score,
      card_fingerprint: charge.card_fingerprint,
    }
  } catch (e: unknown) {
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`virtual-goods: reading Radar's outcome of ${intentId} failed: ${String((e as Error | null)?.message ?? e)}`)
    return UNKNOWN
  }
}
