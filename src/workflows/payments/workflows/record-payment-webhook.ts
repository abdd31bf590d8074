import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import type { SummarizedPaymentEvent } from "../../../modules/payment-reconciliation/service"
import { PaymentEvents } from "../../../utils/events"
import { recordPaymentWebhookEventStep } from "../steps"

export type RecordPaymentWebhookWorkflowInput = { provider_id: string; event: SummarizedPaymentEvent }
export type RecordPaymentWebhookWorkflowOutput = { id: string; created: boolean }

export const recordPaymentWebhookWorkflowId = "record-payment-webhook"

/**
 * Records a verified webhook event in the inbox, once per event id, and announces a new one
 * (`PaymentEvents.WEBHOOK_RECORDED`) for processing; a duplicate changes nothing. Run by the webhook route before it
 * answers the provider, so an answered event is never lost (the reconciliation job processes what the announcement
 * did not reach).
 *
 * @example
 * const { result } = await recordPaymentWebhookWorkflow(container).run({ input: { provider_id: "stripe_stripe", event } })
 *
 * @summary Record a verified payment webhook event.
 */
export const recordPaymentWebhookWorkflow = createWorkflow(recordPaymentWebhookWorkflowId, (input: RecordPaymentWebhookWorkflowInput) => {
  const recorded = recordPaymentWebhookEventStep(input)
  when("announce-new-payment-event", { recorded }, ({ recorded }) => recorded.created).then(() =>
    emitEventStep({
      eventName: PaymentEvents.WEBHOOK_RECORDED,
      data: transform({ recorded }, ({ recorded }) => ({ id: recorded.id })),
    })
  )
  return new WorkflowResponse(transform({ recorded }, ({ recorded }): RecordPaymentWebhookWorkflowOutput => recorded))
})
