import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export const finishBundleComponentRefundStepId = "finish-bundle-component-refund"

/** Marks a component's refund as made, after its money was given back. */
export const finishBundleComponentRefundStep = createStep(finishBundleComponentRefundStepId, async (input: { refund_id: string }, { container }) => {
  await cardVaultModule(container).finishComponentRefund(input.refund_id)
  return new StepResponse({ refund_id: input.refund_id })
})
