import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { paymentReconciliationModule } from "../utils/payment-reconciliation-module"

export type ReleaseUnpaidCartStepInput = { cart_id: string; reason: string }

export const releaseUnpaidCartStepId = "release-unpaid-cart"

/**
 * Puts a cart's reserved codes back to stock and closes its payment hold: its payment failed, was canceled or ran out
 * of time. Not compensated: a released reservation is safe to leave (a later completion reserves again).
 */
export const releaseUnpaidCartStep = createStep(releaseUnpaidCartStepId, async (input: ReleaseUnpaidCartStepInput, { container }) => {
  const { released_code_ids } = await cardVaultModule(container).releaseReservations({ cart_id: input.cart_id, reason: input.reason })
  const closed = await paymentReconciliationModule(container).closeHold({ cart_id: input.cart_id, status: "released", reason: input.reason })
  return new StepResponse({ released: released_code_ids.length, hold_closed: closed })
})
