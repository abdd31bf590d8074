import type Stripe from "stripe"

/** What processing keeps of a Stripe event: ids, statuses, amounts in the smallest unit, Radar's outcome. */
export type PaymentEventSummary = {
  status: string | null
  currency: string | null
  amount: number | null
  amount_received: number | null
  amount_refunded: number | null
  refunded: boolean | null
  charge_id: string | null
  dispute_status: string | null
  dispute_reason: string | null
  risk_level: string | null
  risk_score: number | null
  card_fingerprint: string | null
  failure_message: string | null
}

export type SummarizedPaymentEvent = {
  event_id: string
  type: string
  object_id: string
  payment_intent_id: string | null
  session_id: string | null
  stripe_created_at: Date
  summary: PaymentEventSummary
}

const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === "string" ? v : v.id)

function chargeFacts(charge: Stripe.Charge | null | undefined) {
  return {
    risk_level: charge?.outcome?.risk_level ?? null,
    risk_score: charge?.outcome?.risk_score ?? null,
    card_fingerprint: charge?.payment_method_details?.card?.fingerprint ?? null,
  }
}

/**
 * The parts of a verified Stripe event that processing needs, for payment intents, charges and disputes. The raw
 * event is not kept: it carries the shopper's billing details, which the plugin has no use for.
 */
export function summarizeStripeEvent(event: Stripe.Event): SummarizedPaymentEvent {
  const object = event.data.object as { object?: string; id?: string }
  const base = {
    event_id: event.id,
    type: event.type,
    object_id: object.id ?? "",
    stripe_created_at: new Date(event.created * 1000),
  }
  const empty: PaymentEventSummary = {
    status: null,
    currency: null,
    amount: null,
    amount_received: null,
    amount_refunded: null,
    refunded: null,
    charge_id: null,
    dispute_status: null,
    dispute_reason: null,
    risk_level: null,
    risk_score: null,
    card_fingerprint: null,
    failure_message: null,
  }
  switch (object.object) {
    case "payment_intent": {
      const pi = object as Stripe.PaymentIntent
      const charge = typeof pi.latest_charge === "object" ? pi.latest_charge : null
      return {
        ...base,
        payment_intent_id: pi.id,
        session_id: pi.metadata?.session_id ?? null,
        summary: {
          ...empty,
          status: pi.status,
          currency: pi.currency,
          amount: pi.amount,
          amount_received: pi.amount_received ?? null,
          charge_id: idOf(pi.latest_charge),
          failure_message: pi.last_payment_error?.message ?? null,
          ...chargeFacts(charge),
        },
      }
    }
    case "charge": {
      const charge = object as Stripe.Charge
      return {
        ...base,
        payment_intent_id: idOf(charge.payment_intent),
        session_id: charge.metadata?.session_id ?? null,
        summary: {
          ...empty,
          status: charge.status,
          currency: charge.currency,
          amount: charge.amount,
          amount_refunded: charge.amount_refunded,
          refunded: charge.refunded,
          charge_id: charge.id,
          failure_message: charge.failure_message ?? null,
          ...chargeFacts(charge),
        },
      }
    }
    case "dispute": {
      const dispute = object as Stripe.Dispute
      return {
        ...base,
        payment_intent_id: idOf(dispute.payment_intent),
        session_id: null,
        summary: {
          ...empty,
          status: dispute.status,
          currency: dispute.currency,
          amount: dispute.amount,
          charge_id: idOf(dispute.charge),
          dispute_status: dispute.status,
          dispute_reason: dispute.reason,
        },
      }
    }
    default:
      return { ...base, payment_intent_id: null, session_id: null, summary: empty }
  }
}
