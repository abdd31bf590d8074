import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type UnfreezeOrderCodesStepInput = { order_id: string; dispute_id: string; reason: string }

export const unfreezeOrderCodesStepId = "unfreeze-order-codes"

/**
 * A dispute won: the order's frozen codes can be revealed again; returns the codes the freeze voided, to be replaced.
 * Not compensated: a won dispute stays won.
 */
export const unfreezeOrderCodesStep = createStep(unfreezeOrderCodesStepId, async (input: UnfreezeOrderCodesStepInput, { container }) => {
  const result = await cardVaultModule(container).unfreezeOrderCodes({ order_id: input.order_id, reference: input.dispute_id, reason: input.reason })
  return new StepResponse({ unfrozen: result.unfrozen_code_ids.length, voided_code_ids: result.voided_code_ids })
})
