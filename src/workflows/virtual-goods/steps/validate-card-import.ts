import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SealedCardCode } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../utils/card-vault-module"

export type ValidateCardImportStepInput = { pool_id: string; codes: SealedCardCode[] }

export const validateCardImportStepId = "validate-card-import"

/**
 * Refuses an import whose codes are already in the vault, naming every offending line. No compensation: it
 * changes nothing.
 */
export const validateCardImportStep = createStep(
  validateCardImportStepId,
  async (input: ValidateCardImportStepInput, { container }) => {
    const vault = cardVaultModule(container)
    await vault.retrieveCardPool(input.pool_id, { select: ["id"] })
    const existing = await vault.findExistingBlindIndexes(input.codes.map((c) => c.blind_index))
    const lines = input.codes.filter((c) => existing.has(c.blind_index)).map((c) => c.line)
    if (lines.length) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Import rejected, nothing stored: ${lines.map((l) => `line ${l} code: is already in the vault`).join("; ")}`
      )
    }
    return new StepResponse(void 0)
  }
)
