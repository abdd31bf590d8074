import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor, SharedCodeInput } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type ImportSharedCodesStepInput = {
  pool_id: string
  /** Each code's first copy, sealed (ciphertext, blind index, mask: never plaintext), and its sale limit. */
  codes: SharedCodeInput[]
  supplier?: string | null
  cost_per_code?: number | string | null
  currency_code?: string | null
  expires_at?: string | Date | null
  actor: CardActor
}

export const importSharedCodesStepId = "import-shared-codes"

/** Adds shared codes to a reusable pool as one batch with their first copies; compensation removes the batch. */
export const importSharedCodesStep = createStep(
  importSharedCodesStepId,
  async (input: ImportSharedCodesStepInput, { container }) => {
    const result = await cardVaultModule(container).importSharedCodes(input)
    return new StepResponse(result, result.batch_id)
  },
  async (batchId, { container }) => {
    if (!batchId) return
    await cardVaultModule(container).revertImport({ batch_id: batchId })
  }
)
