import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../utils/card-vault-module"

export type ReturnOrderCodesStepInput = { order_id: string; cart_id?: string | null; reason: string; actor?: CardActor }

export const returnOrderCodesStepId = "return-order-codes"

/**
 * After a full refund or a cancellation: unrevealed codes back to stock, revealed ones voided. Irreversible by
 * design (restocked codes may be sold at once), so it is the last mutating step of its workflow.
 */
export const returnOrderCodesStep = createStep(
  returnOrderCodesStepId,
  async (input: ReturnOrderCodesStepInput, { container }) => {
    const vault = cardVaultModule(container)
    return new StepResponse(await vault.returnOrderCodes(input))
  }
)
