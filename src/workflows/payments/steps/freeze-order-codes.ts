import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type FreezeOrderCodesStepInput = { order_id: string; dispute_id: string; reason: string }

export const freezeOrderCodesStepId = "freeze-order-codes"

/**
 * Freezes an order's codes for a dispute: unrevealed ones are voided, revealed ones can no longer be revealed
 * (idempotent). Not compensated: the dispute stands whatever happens after, and winning it restores what can be
 * restored (`closePaymentDisputeWorkflow`).
 */
export const freezeOrderCodesStep = createStep(freezeOrderCodesStepId, async (input: FreezeOrderCodesStepInput, { container }) => {
  const result = await cardVaultModule(container).freezeOrderCodes({ order_id: input.order_id, reason: input.reason, reference: input.dispute_id })
  return new StepResponse({ voided: result.voided_code_ids.length, frozen: result.frozen_code_ids.length })
})
