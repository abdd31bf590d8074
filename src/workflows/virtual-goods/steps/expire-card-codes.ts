import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type ExpireCardCodesStepInput = { limit?: number }

export const expireCardCodesStepId = "expire-card-codes"

/**
 * Moves available codes past their expiry date to `expired` (see the vault's `expireCodes`). No compensation on
 * purpose: a code past its date must never become sellable again, whatever happens after this step.
 */
export const expireCardCodesStep = createStep(expireCardCodesStepId, async (input: ExpireCardCodesStepInput, { container }) => {
  const vault = cardVaultModule(container)
  return new StepResponse(await vault.expireCodes({ limit: input.limit }))
})
