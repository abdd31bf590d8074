import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import type CardVaultModuleService from "../../../modules/card-vault/service"

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
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    const result = await vault.deliverOrder(input)
    return new StepResponse(result, { order_id: input.order_id, code_ids: result.delivered_now })
  },
  async (data, { container }) => {
    if (!data?.code_ids?.length) return
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    await vault.undeliverCodes(data)
  }
)
