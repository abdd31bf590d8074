import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SummarizedPaymentEvent } from "../../../modules/payment-reconciliation/service"
import { paymentReconciliationModule } from "../utils/payment-reconciliation-module"

export type RecordPaymentWebhookEventStepInput = { provider_id: string; event: SummarizedPaymentEvent }

export const recordPaymentWebhookEventStepId = "record-payment-webhook-event"

/**
 * Records a verified webhook event in the inbox, once per event id (`created` false for a duplicate). Compensation
 * removes a row this run created, so a failed run leaves the event to be delivered again.
 */
export const recordPaymentWebhookEventStep = createStep(
  recordPaymentWebhookEventStepId,
  async (input: RecordPaymentWebhookEventStepInput, { container }) => {
    const recorded = await paymentReconciliationModule(container).recordEvent({ ...input.event, provider_id: input.provider_id })
    return new StepResponse(recorded, recorded.created ? recorded.id : null)
  },
  async (createdId, { container }) => {
    if (!createdId) return
    await paymentReconciliationModule(container).deletePaymentWebhookEvents([createdId])
  }
)
