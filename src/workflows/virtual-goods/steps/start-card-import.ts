import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { StartImportBatchInput } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../utils/card-vault-module"

export type StartCardImportStepInput = StartImportBatchInput

export const startCardImportStepId = "start-card-import"

/**
 * Opens an import or generation run as a batch in status `importing` (nothing sellable yet). Refuses a file that
 * was already imported or is being imported. Compensation marks the batch failed.
 */
export const startCardImportStep = createStep(
  startCardImportStepId,
  async (input: StartCardImportStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const { batch_id } = await vault.startImportBatch(input)
    return new StepResponse({ batch_id }, batch_id)
  },
  async (batchId, { container }) => {
    if (!batchId) return
    const vault = cardVaultModule(container)
    await vault.closeImportBatch({ batch_id: batchId, error: "The import was rolled back before it started" })
  }
)
