import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type WithdrawSharedCodeStepInput = { pool_id: string; shared_code_id: string; reason: string; actor: CardActor }

export const withdrawSharedCodeStepId = "withdraw-shared-code"

/** Stops a shared code's sales (its unsold copies voided) and names its holders; compensation puts it back on sale. */
export const withdrawSharedCodeStep = createStep(
  withdrawSharedCodeStepId,
  async (input: WithdrawSharedCodeStepInput, { container }) => {
    const result = await cardVaultModule(container).withdrawSharedCode(input)
    return new StepResponse(result, result)
  },
  async (result, { container }) => {
    if (!result) return
    await cardVaultModule(container).undoWithdraw(result)
  }
)
