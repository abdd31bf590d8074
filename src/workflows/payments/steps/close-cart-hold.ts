import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { paymentReconciliationModule } from "../utils/payment-reconciliation-module"

export type CloseCartHoldStepInput = { cart_id: string; reason: string }

export const closeCartHoldStepId = "close-cart-hold"

/** Marks a cart's payment hold completed: its order was placed and owns the codes now. Nothing to undo. */
export const closeCartHoldStep = createStep(closeCartHoldStepId, async (input: CloseCartHoldStepInput, { container }) => {
  const closed = await paymentReconciliationModule(container).closeHold({ cart_id: input.cart_id, status: "completed", reason: input.reason })
  return new StepResponse({ closed })
})
