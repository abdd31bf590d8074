import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { VirtualGoodsEvents } from "../../../utils/events"
import { runCardImportStep, RunCardImportStepInput, syncCardPoolInventoryStep } from "../steps"

export type RunCardImportWorkflowInput = RunCardImportStepInput & { pool_id: string }

export const runCardImportWorkflowId = "run-card-import"

/**
 * Streams a source (a staged upload, a file on the server, or generated vouchers) into an `importing` batch, commits
 * it with its codes in one transaction (or rejects it with a per-line report), then mirrors the pool's stock into
 * inventory. The workflow's input and output hold references and counts only, never codes.
 *
 * @example
 * await runCardImportWorkflow(container).run({
 *   input: { pool_id, batch_id, source: { type: "file", path: "/data/codes.txt" }, actor },
 * })
 *
 * @summary Import a file or generate codes into a batch.
 */
export const runCardImportWorkflow = createWorkflow(runCardImportWorkflowId, (input: RunCardImportWorkflowInput) => {
  const outcome = runCardImportStep(
    transform({ input }, ({ input }) => ({ batch_id: input.batch_id, source: input.source, actor: input.actor }))
  )
  when("import-committed", { outcome }, ({ outcome }) => outcome.status === "committed").then(() =>
    syncCardPoolInventoryStep(transform({ input }, ({ input }) => ({ pool_ids: [input.pool_id] })))
  )
  emitEventStep({
    eventName: VirtualGoodsEvents.IMPORT_FINISHED,
    data: transform({ input, outcome }, ({ input, outcome }) => ({
      batch_id: outcome.batch_id,
      pool_id: input.pool_id,
      status: outcome.status,
      code_count: outcome.code_count,
      rejected_count: outcome.rejected_count,
    })),
  })
  return new WorkflowResponse(outcome)
})
