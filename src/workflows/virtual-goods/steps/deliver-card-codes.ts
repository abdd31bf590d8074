import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type DeliverCardCodesStepInput = {
  order_id: string
  cart_id: string | null
  lines: { line_item_id: string; pool_id: string; quantity: number }[]
}

export const deliverCardCodesStepId = "deliver-card-codes"

/**
 * Binds the order's codes to its lines exactly once (see the vault's `deliverOrder`). Output holds code ids
 * only. Compensation hands the codes delivered by this run back to the cart's reservation.
 */
export const deliverCardCodesStep = createStep(
  deliverCardCodesStepId,
  async (input: DeliverCardCodesStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const result = await vault.deliverOrder(input)
    return new StepResponse(result, { order_id: input.order_id, code_ids: result.delivered_now })
  },
  async (data, { container }) => {
    if (!data?.code_ids?.length) return
    const vault = cardVaultModule(container)
    await vault.undeliverCodes(data)
  }
)
