import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type ValidateCardPoolPickStepInput = {
  id: string
  pick_premium_bp?: number | null
  pick_show_first?: number
  pick_show_last?: number
}

export type ValidateCardPoolPickStepOutput = {
  /** A pick setting is part of the update: the pool's labels are brought up to date after it. */
  touched: boolean
  /** What a label shows changes (or picking stops): the pool's labels are computed again. */
  relabel: boolean
}

export const validateCardPoolPickStepId = "validate-card-pool-pick"

/**
 * Checks a pool update's buyer's choice settings against the pool: a reusable pool's codes are sold to many buyers,
 * so none can be picked (400 naming `pick_premium_bp`). Says whether labels must follow. Reads only.
 */
export const validateCardPoolPickStep = createStep(validateCardPoolPickStepId, async (input: ValidateCardPoolPickStepInput, { container }) => {
  const touched = input.pick_premium_bp !== undefined || input.pick_show_first !== undefined || input.pick_show_last !== undefined
  if (!touched) return new StepResponse<ValidateCardPoolPickStepOutput>({ touched: false, relabel: false })
  const pool = await cardVaultModule(container).retrieveCardPool(input.id, { select: ["id", "kind", "pick_premium_bp", "pick_show_first", "pick_show_last"] })
  const premium = input.pick_premium_bp !== undefined ? input.pick_premium_bp : pool.pick_premium_bp
  if (pool.kind === "reusable" && premium !== null && premium !== undefined) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "pick_premium_bp: a reusable pool's codes cannot be picked (each is sold to many buyers)")
  }
  const changed = (field: "pick_show_first" | "pick_show_last") => input[field] !== undefined && input[field] !== pool[field]
  return new StepResponse<ValidateCardPoolPickStepOutput>({
    touched,
    relabel: changed("pick_show_first") || changed("pick_show_last") || (premium === null && pool.pick_premium_bp !== null),
  })
})
