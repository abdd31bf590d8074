import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { capturePaymentWorkflow } from "@medusajs/medusa/core-flows"

/** How a failed capture's error begins (`Capture failed for payment pay_…: <the provider's message>`): the held order's reason. */
export const CAPTURE_FAILED_PREFIX = "Capture failed for payment"

/** The payment of a hold reason written by a failed capture, else null. */
export function paymentOfCaptureFailure(reason: string): string | null {
  return new RegExp(`^${CAPTURE_FAILED_PREFIX} (\\S+?): `).exec(reason)?.[1] ?? null
}

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
      try {
        await capturePaymentWorkflow(container).run({ input: { payment_id: paymentId } })
      } catch (e: unknown) {
        throw new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, `${CAPTURE_FAILED_PREFIX} ${paymentId}: ${String((e as Error | null)?.message ?? e)}`)
      }
    }
    return new StepResponse({ captured: input.payment_ids })
  }
)
