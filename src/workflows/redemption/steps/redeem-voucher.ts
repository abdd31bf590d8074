import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RedeemVoucherInput } from "../../../modules/redemption/service"
import { redemptionModule } from "../utils/redemption-module"

export type RedeemVoucherStepInput = RedeemVoucherInput

export const redeemVoucherStepId = "redeem-voucher"

/**
 * Redeems the voucher once per request key (the ledger's one conditional statement). Compensation gives a redemption
 * this run made back (a replayed one is not this run's).
 */
export const redeemVoucherStep = createStep(
  redeemVoucherStepId,
  async (input: RedeemVoucherStepInput, { container }) => {
    const result = await redemptionModule(container).redeemVoucher(input)
    return new StepResponse(result, result.replayed ? null : { id: result.redemption.id, channel: input.channel, actor_type: input.actor_type, actor_id: input.actor_id })
  },
  async (made, { container }) => {
    if (!made) return
    await redemptionModule(container).rollbackRedemption({
      redemption_id: made.id,
      reason: "compensation: the redemption's workflow failed",
      channel: made.channel,
      actor_type: made.actor_type,
      actor_id: made.actor_id,
      ignore_window: true,
    })
  }
)
