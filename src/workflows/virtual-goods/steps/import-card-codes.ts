import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor, SealedCardCode } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../utils/card-vault-module"

export type ImportCardCodesStepInput = {
  pool_id: string
  /** Sealed codes only: ciphertext, blind index and mask. */
  codes: SealedCardCode[]
  supplier?: string | null
  cost_per_code?: number | string | null
  currency_code?: string | null
  expires_at?: string | Date | null
  file_hash?: string | null
  /** Store the codes reserved under this key (for the order that bought them) instead of into stock. */
  reserve_for?: string | null
  actor: CardActor
}

export const importCardCodesStepId = "import-card-codes"

/** Stores sealed codes as one batch; compensation removes the batch again. */
export const importCardCodesStep = createStep(
  importCardCodesStepId,
  async (input: ImportCardCodesStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const result = await vault.importSealedCodes(input)
    return new StepResponse(result, result.batch_id)
  },
  async (batchId, { container }) => {
    if (!batchId) return
    const vault = cardVaultModule(container)
    await vault.revertImport({ batch_id: batchId })
  }
)
