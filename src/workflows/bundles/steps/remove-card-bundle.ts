import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export const removeCardBundleStepId = "remove-card-bundle"

/**
 * Soft-deletes a bundle (its components with it); orders that sold it keep their codes, lines and refunds.
 * Compensation restores it.
 */
export const removeCardBundleStep = createStep(
  removeCardBundleStepId,
  async (input: { bundle_id: string }, { container }) => {
    await cardVaultModule(container).softDeleteCardBundles([input.bundle_id])
    return new StepResponse({ bundle_id: input.bundle_id }, input.bundle_id)
  },
  async (bundleId, { container }) => {
    if (!bundleId) return
    await cardVaultModule(container).restoreCardBundles([bundleId])
  }
)
