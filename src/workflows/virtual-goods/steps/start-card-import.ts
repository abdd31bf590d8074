import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import type CardVaultModuleService from "../../../modules/card-vault/service"
import type { StartImportBatchInput } from "../../../modules/card-vault/service"

export type StartCardImportStepInput = StartImportBatchInput

export const startCardImportStepId = "start-card-import"

/**
 * Opens an import or generation run as a batch in status `importing` (nothing sellable yet). Refuses a file that
 * was already imported or is being imported. Compensation marks the batch failed.
 */
export const startCardImportStep = createStep(
  startCardImportStepId,
  async (input: StartCardImportStepInput, { container }) => {
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    const { batch_id } = await vault.startImportBatch(input)
    return new StepResponse({ batch_id }, batch_id)
  },
  async (batchId, { container }) => {
    if (!batchId) return
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    await vault.closeImportBatch({ batch_id: batchId, error: "The import was rolled back before it started" })
  }
)
