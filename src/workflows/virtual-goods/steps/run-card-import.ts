import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor, ImportOutcome } from "../../../modules/card-vault/service"
import { CardImportSource, openImportSource } from "../../../modules/card-vault/utils/import-sources"
import { errorMessage } from "../../../utils/errors"
import { cardVaultModule } from "../utils/card-vault-module"

export type RunCardImportStepInput = {
  batch_id: string
  /** A staged upload, a file on the server, or a generator format: references only, never codes. */
  source: CardImportSource
  actor: CardActor
}

export const runCardImportStepId = "run-card-import"

/**
 * Streams the source into its `importing` batch and commits the batch with its codes in one transaction, or
 * rejects it (bad lines in an all-or-nothing import) — see the vault's `importStream`. A failure leaves nothing
 * stored and the batch `failed` with the reason. Compensation (a later step failed) removes a committed batch,
 * whose codes are all still available at that point.
 */
export const runCardImportStep = createStep(
  runCardImportStepId,
  async (input: RunCardImportStepInput, { container }) => {
    const vault = cardVaultModule(container)
    let opened: ReturnType<typeof openImportSource>
    try {
      opened = openImportSource(input.source)
    } catch (e: unknown) {
      await vault.closeImportBatch({ batch_id: input.batch_id, error: errorMessage(e) })
      throw e
    }
    try {
      const outcome: ImportOutcome = await vault.importStream({
        batch_id: input.batch_id,
        lines: opened.lines,
        bytes: opened.bytes,
        target_count: opened.target_count,
        reopen: input.source.type === "generate" ? undefined : () => openImportSource(input.source),
        actor: input.actor,
      })
      return new StepResponse(outcome, outcome.status === "committed" ? input.batch_id : null)
    } finally {
      await opened.close()
    }
  },
  async (batchId, { container }) => {
    if (!batchId) return
    const vault = cardVaultModule(container)
    await vault.revertImport({ batch_id: batchId })
  }
)
