import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { startCardImportStep, StartCardImportStepInput } from "../steps"

export type StartCardImportWorkflowInput = StartCardImportStepInput

export const startCardImportWorkflowId = "start-card-import"

/**
 * Opens an import of a file, or a generation run, as a batch in status `importing`, refusing a file already
 * imported or being imported (by its SHA-256). Run `runCardImportWorkflow` next to fill and commit it; admins can
 * follow the batch's progress in between.
 *
 * @example
 * const { result } = await startCardImportWorkflow(container).run({
 *   input: { pool_id, source: "import", file_name: "codes.csv", file_hash, bytes_total, mode: "skip_invalid", actor },
 * })
 *
 * @summary Open an import batch.
 */
export const startCardImportWorkflow = createWorkflow(startCardImportWorkflowId, (input: StartCardImportWorkflowInput) => {
  return new WorkflowResponse(startCardImportStep(input))
})
