import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type TopUpSharedCodesStepInput = { pool_ids?: string[] }

export const topUpSharedCodesStepId = "top-up-shared-codes"

/**
 * Makes new copies of reusable pools' shared codes as they sell (up to the buffer, never beyond a code's limit);
 * compensation removes the copies it made that are still unsold.
 */
export const topUpSharedCodesStep = createStep(
  topUpSharedCodesStepId,
  async (input: TopUpSharedCodesStepInput, { container }) => {
    const result = await cardVaultModule(container).topUpSharedCodes(input)
    return new StepResponse({ made: result.made }, result.code_ids)
  },
  async (codeIds, { container }) => {
    if (!codeIds?.length) return
    await cardVaultModule(container).undoTopUp({ code_ids: codeIds })
  }
)
