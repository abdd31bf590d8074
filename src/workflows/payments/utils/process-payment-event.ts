import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { fromSmallestUnit } from "../../../modules/payment-reconciliation"
import type { PaymentEventSummary } from "../../../modules/payment-reconciliation/service"
import { applyProviderRefundWorkflow } from "../workflows/apply-provider-refund"
import { releaseUnpaidCartWorkflow } from "../workflows/release-unpaid-cart"
import { applyPaymentDisputeEvent } from "./apply-payment-dispute"
import { paymentContextOfSession, type PaymentContext } from "./payment-context"
import { paymentReconciliationModule } from "./payment-reconciliation-module"

type InboxEvent = {
  id: string
  provider_id: string
  type: string
  object_id: string
  payment_intent_id: string | null
  session_id: string | null
  status: string
  summary: PaymentEventSummary | null
}

export type PaymentEventOutcome = "processed" | "ignored" | "failed" | "already_processed" | "not_found"

/** The Medusa payment a provider event is about: by the session it carries, an earlier event's, or Stripe's own record. */
async function contextOf(container: MedusaContainer, event: InboxEvent): Promise<PaymentContext | null> {
  const module = paymentReconciliationModule(container)
  let sessionId = event.session_id
  if (!sessionId && event.payment_intent_id) sessionId = await module.sessionOfPaymentIntent(event.payment_intent_id)
  if (!sessionId && event.payment_intent_id && module.readsBack()) {
    sessionId = (await module.retrievePaymentIntent(event.payment_intent_id)).session_id
  }
  return sessionId ? paymentContextOfSession(container, sessionId) : null
}

/** Applies one recorded event; returns whether it mattered. */
async function applyPaymentEvent(container: MedusaContainer, event: InboxEvent): Promise<"processed" | "ignored"> {
  const module = paymentReconciliationModule(container)
  const summary = event.summary
  switch (event.type) {
    case "payment_intent.payment_failed":
    case "payment_intent.canceled": {
      const ctx = await contextOf(container, event)
      if (!ctx?.cart_id || ctx.order_id) return "ignored"
      // Events arrive out of order: a failure older than the payment's current state (paid after a retry) changes nothing.
      if (event.payment_intent_id && module.readsBack()) {
        const current = await module.retrievePaymentIntent(event.payment_intent_id)
        if (["succeeded", "requires_capture", "processing"].includes(current.status)) return "ignored"
      }
      await releaseUnpaidCartWorkflow(container).run({
        input: {
          cart_id: ctx.cart_id,
          reason: event.type === "payment_intent.canceled" ? "canceled" : "failed",
          message: summary?.failure_message ?? null,
          provider_id: ctx.provider_id,
          payment_intent_id: event.payment_intent_id,
          email: ctx.email,
          locale: ctx.locale,
        },
      })
      return "processed"
    }
    case "payment_intent.succeeded":
    case "payment_intent.amount_capturable_updated": {
      // Medusa's own webhook handling completes the cart; reconciliation checks later that it did (`settled_at`).
      const ctx = await contextOf(container, event)
      if (ctx?.cart_id && ctx.order_id) {
        await module.closeHold({ cart_id: ctx.cart_id, status: "completed", reason: "order placed" })
      }
      return ctx ? "processed" : "ignored"
    }
    case "charge.refunded": {
      const ctx = await contextOf(container, event)
      if (!ctx?.order_id || !summary?.currency || summary.amount === null || !event.payment_intent_id) return "ignored"
      const refunded = summary.amount_refunded ?? 0
      await applyProviderRefundWorkflow(container).run({
        input: {
          order_id: ctx.order_id,
          provider_id: ctx.provider_id,
          payment_intent_id: event.payment_intent_id,
          amount_refunded: fromSmallestUnit(refunded, summary.currency),
          amount: fromSmallestUnit(summary.amount, summary.currency),
          currency_code: summary.currency,
          fully_refunded: !!summary.refunded || refunded >= summary.amount,
        },
      })
      return "processed"
    }
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.closed": {
      const ctx = await contextOf(container, event)
      if (!ctx?.order_id || !summary) return "ignored"
      await applyPaymentDisputeEvent(container, { event_type: event.type, dispute_id: event.object_id, summary, context: ctx, payment_intent_id: event.payment_intent_id })
      return "processed"
    }
    default:
      return "ignored"
  }
}

/**
 * Processes one event of the inbox, once: marks it processed or ignored, or failed with the error (the reconciliation
 * job retries failed events). Called by the subscriber of `PaymentEvents.WEBHOOK_RECORDED` and by the job.
 */
export async function processPaymentEvent(container: MedusaContainer, id: string): Promise<PaymentEventOutcome> {
  const module = paymentReconciliationModule(container)
  const [event] = (await module.listPaymentWebhookEvents({ id }, { take: 1 })) as unknown as InboxEvent[]
  if (!event) return "not_found"
  if (event.status === "processed" || event.status === "ignored") return "already_processed"
  try {
    const outcome = await applyPaymentEvent(container, event)
    await module.markEvent({ id, status: outcome })
    return outcome
  } catch (e: unknown) {
    const message = String((e as Error | null)?.message ?? e)
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`virtual-goods: payment event ${id} (${event.type}) failed: ${message}`)
    await module.markEvent({ id, status: "failed", error: message })
    return "failed"
  }
}
