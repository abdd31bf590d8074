import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { paymentReconciliationModule } from "../utils/payment-reconciliation-module"

export type HoldCartForPaymentStepInput = { cart_id: string; payment_session_id: string | null; provider_id: string | null }

export const holdCartForPaymentStepId = "hold-cart-for-payment"

/**
 * Holds the cart's reservation for the module's `payment_hold_seconds` (renewed by a second call). Compensation
 * closes the hold, so the vault's sweep treats the reservation as any other again.
 */
export const holdCartForPaymentStep = createStep(
  holdCartForPaymentStepId,
  async (input: HoldCartForPaymentStepInput, { container }) => {
    const module = paymentReconciliationModule(container)
    const hold = await module.holdCart({ ...input, seconds: module.getOptions().payment_hold_seconds })
    return new StepResponse(hold, input.cart_id)
  },
  async (cartId, { container }) => {
    if (!cartId) return
    await paymentReconciliationModule(container).closeHold({ cart_id: cartId, status: "released", reason: "hold failed" })
  }
)
