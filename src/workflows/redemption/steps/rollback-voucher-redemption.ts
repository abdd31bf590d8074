import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RollbackRedemptionInput } from "../../../modules/redemption/service"
import { redemptionModule } from "../utils/redemption-module"

export type RollbackVoucherRedemptionStepInput = RollbackRedemptionInput

export const rollbackVoucherRedemptionStepId = "rollback-voucher-redemption"

/** Gives a redemption back (once, within its program's window, with a reason). The workflow's last mutating step. */
export const rollbackVoucherRedemptionStep = createStep(rollbackVoucherRedemptionStepId, async (input: RollbackVoucherRedemptionStepInput, { container }) => {
  return new StepResponse(await redemptionModule(container).rollbackRedemption(input))
})
