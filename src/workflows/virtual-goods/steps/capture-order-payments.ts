import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { capturePaymentWorkflow } from "@medusajs/medusa/core-flows"

export type CaptureOrderPaymentsStepInput = { payment_ids: string[] }

export const captureOrderPaymentsStepId = "capture-order-payments"

/**
 * Captures the authorized payments of a virtual-only order when it is placed (plugin option `auto_capture`).
 * Not compensated on purpose: if delivery fails after the capture, the order is held (visible, retried) rather
 * than refunded behind the merchant's back — paid ⇒ delivered, refunded or held.
 */
export const captureOrderPaymentsStep = createStep(
  captureOrderPaymentsStepId,
  async (input: CaptureOrderPaymentsStepInput, { container }) => {
    for (const paymentId of input.payment_ids) {
      await capturePaymentWorkflow(container).run({ input: { payment_id: paymentId } })
    }
    return new StepResponse({ captured: input.payment_ids })
  }
)
