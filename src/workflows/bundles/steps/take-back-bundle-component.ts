import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type TakeBackBundleComponentStepInput = {
  order_id: string
  line_item_id: string
  pool_id: string
  amount: string
  currency_code: string
  reason: string
  actor?: CardActor
}

export const takeBackBundleComponentStepId = "take-back-bundle-component"

/**
 * Claims the component's refund (once per line and pool) and takes its codes back: unrevealed ones to stock, revealed
 * ones voided (see the vault's `takeBackComponent`). Compensation (the money could not be given back) drops the claim
 * and gives the line its codes again where no one took them since.
 */
export const takeBackBundleComponentStep = createStep(
  takeBackBundleComponentStepId,
  async (input: TakeBackBundleComponentStepInput, { container }) => {
    const taken = await cardVaultModule(container).takeBackComponent(input)
    return new StepResponse(
      { refund_id: taken.refund_id, restocked: taken.restocked.length, voided: taken.voided.length },
      { ...taken, order_id: input.order_id, line_item_id: input.line_item_id }
    )
  },
  async (undo, { container }) => {
    if (!undo) return
    await cardVaultModule(container).undoTakeBack(undo)
  }
)
