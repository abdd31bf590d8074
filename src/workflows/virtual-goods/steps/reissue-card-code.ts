import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../utils/card-vault-module"

export type ReissueCardCodeStepInput = { code_id: string; reason: string; actor: CardActor }

export const reissueCardCodeStepId = "reissue-card-code"

/**
 * Voids a delivered code as invalid and delivers a fresh one from the same pool to the same order line, in one
 * transaction (see the vault's `reissueCode`). Compensation returns the fresh code to stock and the voided one to
 * the order as it was.
 */
export const reissueCardCodeStep = createStep(
  reissueCardCodeStepId,
  async (input: ReissueCardCodeStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const result = await vault.reissueCode(input)
    return new StepResponse(result, result)
  },
  async (result, { container }) => {
    if (!result) return
    const vault = cardVaultModule(container)
    await vault.undoReissue(result)
  }
)
