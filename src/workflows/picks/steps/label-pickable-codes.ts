import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type LabelPickableCodesStepInput = { pool_id?: string; limit: number; relabel?: boolean }

export const labelPickableCodesStepId = "label-pickable-codes"

/**
 * Labels codes of pools that offer picking (clears them where picking is off; all of the pool's first with
 * `relabel`). Labels are derived data, recomputed from the codes and the pool's rule: nothing to compensate.
 */
export const labelPickableCodesStep = createStep(labelPickableCodesStepId, async (input: LabelPickableCodesStepInput, { container }) => {
  return new StepResponse(await cardVaultModule(container).labelPickableCodes(input))
})
