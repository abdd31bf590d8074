import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { BundleComponentInput, ComposedBundle } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type ComposeCardBundleStepInput = { bundle_id: string | null; name: string; components: BundleComponentInput[] }

export const composeCardBundleStepId = "compose-card-bundle"

/**
 * Creates the bundle or replaces its name and components (see the vault's `composeBundle`: bad input names the
 * component and field). Compensation deletes a new bundle or restores the one replaced.
 */
export const composeCardBundleStep = createStep(
  composeCardBundleStepId,
  async (input: ComposeCardBundleStepInput, { container }) => {
    const { bundle, previous } = await cardVaultModule(container).composeBundle(input)
    return new StepResponse<ComposedBundle, { bundle_id: string; previous: ComposedBundle | null }>(bundle, { bundle_id: bundle.id, previous })
  },
  async (undo, { container }) => {
    if (!undo) return
    await cardVaultModule(container).restoreBundle(undo)
  }
)
