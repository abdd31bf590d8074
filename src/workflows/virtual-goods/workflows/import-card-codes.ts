import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { importCardCodesStep, ImportCardCodesStepInput, syncCardPoolInventoryStep, validateCardImportStep } from "../steps"

export type ImportCardCodesWorkflowInput = ImportCardCodesStepInput

export const importCardCodesWorkflowId = "import-card-codes"

/**
 * Imports sealed codes into a pool as one batch, all or nothing, then mirrors the pool's stock into inventory.
 * Takes codes already sealed with the vault's `sealCodes` (the admin route does that), so no plaintext ever
 * enters the workflow engine.
 *
 * @example
 * const sealed = vault.sealCodes(poolId, entries)
 * await importCardCodesWorkflow(container).run({
 *   input: { pool_id: poolId, codes: sealed, supplier: "ACME", cost_per_code: 8.5, currency_code: "cny", actor }
 * })
 *
 * @summary Import card codes into a pool.
 */
export const importCardCodesWorkflow = createWorkflow(importCardCodesWorkflowId, (input: ImportCardCodesWorkflowInput) => {
  validateCardImportStep(transform({ input }, ({ input }) => ({ pool_id: input.pool_id, codes: input.codes })))
  const result = importCardCodesStep(input)
  syncCardPoolInventoryStep(transform({ input }, ({ input }) => ({ pool_ids: [input.pool_id] })))
  return new WorkflowResponse(result)
})
