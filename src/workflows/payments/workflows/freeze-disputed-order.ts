import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import type { RiskKey } from "../../../modules/risk/evaluate"
import { PaymentEvents } from "../../../utils/events"
import { VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE } from "../../../utils/notification-templates"
import { addToRiskListsStep, auditPaymentDisputeStep, freezeOrderCodesStep, recordPaymentFindingStep, sendPaymentNotificationStep } from "../steps"

export type FreezeDisputedOrderWorkflowInput = {
  order_id: string
  dispute_id: string
  dispute_status: string
  dispute_reason: string | null
  provider_id: string
  payment_intent_id: string | null
  /** Disputed, in the currency's unit (exact decimal string). */
  amount: string
  currency_code: string
  list_type: "block" | "review"
  /** The customer, email, IP and card fingerprint of the disputed payment, for the risk lists. */
  entries: { key: RiskKey; value: string }[]
}

export const freezeDisputedOrderWorkflowId = "freeze-disputed-order"

/**
 * A chargeback (`charge.dispute.created`): the order's codes are frozen (unrevealed ones voided, revealed ones no
 * longer revealable, counted against their batch), the payer goes on the risk lists of disputed payments, the audit
 * log records it, an open finding tracks the dispute, and the admins are alerted. Safe to run twice.
 *
 * @example
 * await freezeDisputedOrderWorkflow(container).run({ input: { order_id, dispute_id: "dp_1", dispute_status: "needs_response", dispute_reason: "fraudulent", provider_id, payment_intent_id, amount: "10", currency_code: "usd", list_type: "block", entries: [{ key: "email", value: "a@b.c" }] } })
 *
 * @summary Freeze an order's codes when its payment is disputed.
 */
export const freezeDisputedOrderWorkflow = createWorkflow(freezeDisputedOrderWorkflowId, (input: FreezeDisputedOrderWorkflowInput) => {
  const frozen = freezeOrderCodesStep(
    transform({ input }, ({ input }) => ({ order_id: input.order_id, dispute_id: input.dispute_id, reason: `payment disputed (${input.dispute_reason ?? "no reason given"})` }))
  )
  addToRiskListsStep(
    transform({ input }, ({ input }) => ({
      entries: input.entries,
      list_type: input.list_type,
      reason: `dispute ${input.dispute_id} on order ${input.order_id}`,
    }))
  )
  auditPaymentDisputeStep(
    transform({ input }, ({ input }) => ({
      action: "dispute_opened" as const,
      order_id: input.order_id,
      dispute_id: input.dispute_id,
      payment_intent_id: input.payment_intent_id,
      status: input.dispute_status,
      reason: `payment disputed (${input.dispute_reason ?? "no reason given"})`,
    }))
  )
  const finding = recordPaymentFindingStep(
    transform({ input, frozen }, ({ input, frozen }) => ({
      kind: "dispute" as const,
      status: "open" as const,
      provider_id: input.provider_id,
      payment_intent_id: input.payment_intent_id,
      dispute_id: input.dispute_id,
      dispute_status: input.dispute_status,
      order_id: input.order_id,
      amount: input.amount,
      currency_code: input.currency_code,
      detail: `Payment disputed (${input.dispute_reason ?? "no reason given"}): ${frozen.voided} unrevealed code(s) voided, ${frozen.frozen} revealed code(s) frozen; the payer is on the ${input.list_type} list`,
    }))
  )
  emitEventStep({
    eventName: PaymentEvents.CODES_FROZEN,
    data: transform({ input, frozen }, ({ input, frozen }) => ({ order_id: input.order_id, voided: frozen.voided, frozen: frozen.frozen })),
  }).config({ name: "emit-codes-frozen" })
  emitEventStep({
    eventName: PaymentEvents.FINDING_RECORDED,
    data: transform({ finding }, ({ finding }) => ({ id: finding.id, kind: finding.kind, order_id: finding.order_id })),
  }).config({ name: "emit-dispute-finding" })
  sendPaymentNotificationStep(
    transform({ input, finding, frozen }, ({ input, finding, frozen }) => ({
      to: null,
      template: VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE,
      idempotency_key: `virtual-goods-dispute-opened:${input.dispute_id}`,
      resource_id: input.order_id,
      resource_type: "order",
      data: {
        title: `Payment disputed: ${input.amount} ${input.currency_code.toUpperCase()}`,
        description: `A chargeback (${input.dispute_reason ?? "no reason given"}) was opened on order ${input.order_id}: ${frozen.voided} code(s) voided, ${frozen.frozen} frozen. Respond in Stripe's dashboard.`,
        finding_id: finding.id,
        kind: "dispute",
        order_id: input.order_id,
      },
    }))
  )
  return new WorkflowResponse(transform({ frozen, finding }, ({ frozen, finding }) => ({ ...frozen, finding_id: finding.id })))
})
