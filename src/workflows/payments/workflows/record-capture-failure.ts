import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { PaymentEvents } from "../../../utils/events"
import { VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE } from "../../../utils/notification-templates"
import { describeCaptureFailureStep, recordPaymentFindingStep, sendPaymentNotificationStep } from "../steps"

export type RecordCaptureFailureWorkflowInput = { order_id: string; payment_id: string; reason: string }

export const recordCaptureFailureWorkflowId = "record-capture-failure"

/**
 * An order's payment could not be captured (declined, the authorization expired): its delivery is held and nothing
 * left the vault. Records an open *capture failed* finding (one per payment intent, updated as the sweep retries) and
 * alerts the admins once.
 *
 * @example
 * await recordCaptureFailureWorkflow(container).run({ input: { order_id, payment_id, reason: "Capture failed for payment pay_1: Your card was declined." } })
 *
 * @summary Record a payment whose capture failed.
 */
export const recordCaptureFailureWorkflow = createWorkflow(recordCaptureFailureWorkflowId, (input: RecordCaptureFailureWorkflowInput) => {
  const failure = describeCaptureFailureStep(transform({ input }, ({ input }) => ({ order_id: input.order_id, payment_id: input.payment_id })))
  const finding = recordPaymentFindingStep(
    transform({ input, failure }, ({ input, failure }) => ({
      kind: "capture_failed" as const,
      key: `capture_failed:${failure.payment_intent_id ?? input.payment_id}`,
      provider_id: failure.provider_id,
      payment_intent_id: failure.payment_intent_id,
      order_id: input.order_id,
      payment_id: input.payment_id,
      amount: failure.amount,
      currency_code: failure.currency_code,
      detail: `The order's payment could not be captured; its codes stay reserved and are not delivered: ${input.reason.slice(0, 500)}`,
    }))
  )
  emitEventStep({
    eventName: PaymentEvents.FINDING_RECORDED,
    data: transform({ finding }, ({ finding }) => ({ id: finding.id, kind: finding.kind, order_id: finding.order_id })),
  })
  sendPaymentNotificationStep(
    transform({ input, finding, failure }, ({ input, finding, failure }) => ({
      to: null,
      template: VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE,
      idempotency_key: `virtual-goods-capture-failed:${finding.id}`,
      resource_id: input.order_id,
      resource_type: "order",
      data: {
        title: "Payment capture failed",
        description: `Order ${input.order_id}: the payment${failure.amount ? ` of ${failure.amount} ${String(failure.currency_code).toUpperCase()}` : ""} could not be captured; nothing was delivered. Ask the customer to pay again or cancel the order.`,
        finding_id: finding.id,
        kind: "capture_failed",
        order_id: input.order_id,
      },
    }))
  )
  return new WorkflowResponse(transform({ finding }, ({ finding }) => ({ finding_id: finding.id })))
})
