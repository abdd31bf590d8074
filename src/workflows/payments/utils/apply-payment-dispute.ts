import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { fromSmallestUnit } from "../../../modules/payment-reconciliation"
import type { PaymentEventSummary } from "../../../modules/payment-reconciliation/service"
import type { RiskKey } from "../../../modules/risk/evaluate"
import { riskModule } from "../../risk/utils/risk-module"
import { reissueCardCodeWorkflow } from "../../virtual-goods/workflows/reissue-card-code"
import { closePaymentDisputeWorkflow } from "../workflows/close-payment-dispute"
import { freezeDisputedOrderWorkflow } from "../workflows/freeze-disputed-order"
import type { PaymentContext } from "./payment-context"
import { paymentReconciliationModule } from "./payment-reconciliation-module"

type DisputeEvent = {
  event_type: string
  dispute_id: string
  payment_intent_id: string | null
  summary: PaymentEventSummary
  context: PaymentContext
}

/** The card fingerprint of a payment intent: from a recorded event's charge, else read back from Stripe. */
async function cardFingerprintOf(container: MedusaContainer, paymentIntentId: string | null): Promise<string | null> {
  if (!paymentIntentId) return null
  const module = paymentReconciliationModule(container)
  const events = await module.listPaymentWebhookEvents({ payment_intent_id: paymentIntentId }, { select: ["summary"] })
  const recorded = events.map((e) => (e.summary as PaymentEventSummary | null)?.card_fingerprint).find((f) => !!f)
  if (recorded) return recorded
  if (!module.readsBack()) return null
  return (await module.retrievePaymentIntent(paymentIntentId)).charge?.card_fingerprint ?? null
}

/**
 * Applies a dispute event to its order: opened → freeze the codes and list the payer; closed → restore (won, with
 * replacements for the codes the freeze voided) or keep (lost). Updates in between change nothing here.
 */
export async function applyPaymentDisputeEvent(container: MedusaContainer, event: DisputeEvent): Promise<void> {
  const { context: ctx, summary } = event
  if (!ctx.order_id || !summary.currency || summary.amount === null) return
  const amount = fromSmallestUnit(summary.amount, summary.currency)
  if (event.event_type === "charge.dispute.created") {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: orders } = await query.graph({ entity: "order", fields: ["id", "email", "customer_id"], filters: { id: ctx.order_id } })
    const order = (orders as { email: string | null; customer_id: string | null }[])[0]
    const client = ctx.cart_id ? await riskModule(container).clientOf(ctx.cart_id) : null
    const fingerprint = await cardFingerprintOf(container, event.payment_intent_id)
    const entries: { key: RiskKey; value: string }[] = [
      { key: "customer" as const, value: order?.customer_id ?? "" },
      { key: "email" as const, value: order?.email ?? ctx.email ?? "" },
      { key: "ip" as const, value: client?.ip ?? "" },
      { key: "card_fingerprint" as const, value: fingerprint ?? "" },
    ].filter((e) => !!e.value)
    await freezeDisputedOrderWorkflow(container).run({
      input: {
        order_id: ctx.order_id,
        dispute_id: event.dispute_id,
        dispute_status: summary.dispute_status ?? "needs_response",
        dispute_reason: summary.dispute_reason,
        provider_id: ctx.provider_id,
        payment_intent_id: event.payment_intent_id,
        amount,
        currency_code: summary.currency,
        list_type: paymentReconciliationModule(container).getOptions().dispute_list,
        entries,
      },
    })
    return
  }
  if (event.event_type !== "charge.dispute.closed") return
  const { result } = await closePaymentDisputeWorkflow(container).run({
    input: {
      order_id: ctx.order_id,
      dispute_id: event.dispute_id,
      dispute_status: summary.dispute_status ?? "closed",
      provider_id: ctx.provider_id,
      payment_intent_id: event.payment_intent_id,
      amount,
      currency_code: summary.currency,
    },
  })
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const codeId of result.voided_code_ids) {
    try {
      await reissueCardCodeWorkflow(container).run({ input: { code_id: codeId, reason: "payment dispute won", actor: { type: "system" } } })
    } catch (e: unknown) {
      // Out of stock: the code stays voided; the finding says how many were to be replaced, the admin reissues later.
      logger.warn(`virtual-goods: replacing code ${codeId} after dispute ${event.dispute_id} failed: ${String((e as Error | null)?.message ?? e)}`)
    }
  }
}
