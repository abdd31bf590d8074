import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import type CardVaultModuleService from "../../../modules/card-vault/service"
import type { CardActor } from "../../../modules/card-vault/service"

export type StartCardImportStepInput = {
  pool_id: string
  source: "import" | "generated"
  /** all_or_nothing (default): any bad line rejects the file · skip_invalid: import the valid lines. */
  mode?: "all_or_nothing" | "skip_invalid"
  file_name?: string | null
  /** SHA-256 of the file: the same file is not imported twice. */
  file_hash?: string | null
  bytes_total?: number | null
  lines_total?: number | null
  supplier?: string | null
  cost_per_code?: number | string | null
  currency_code?: string | null
  expires_at?: Date | string | null
  /** Generated batches: the format (prefix, length, grouping), never codes. */
  generator?: Record<string, unknown> | null
  actor: CardActor
}

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
