import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSupplierFindingStep, ResolveSupplierFindingStepInput } from "../steps/resolve-supplier-finding"

export type ResolveSupplierFindingWorkflowInput = ResolveSupplierFindingStepInput
export type ResolveSupplierFindingWorkflowOutput = { id: string }

export const resolveSupplierFindingWorkflowId = "resolve-supplier-finding"

/**
 * Resolves a supplier finding (a reconciliation difference, a late callback, an unknown outcome, a low balance, a
 * restock refused) with what the admin did about it.
 *
 * @example
 * await resolveSupplierFindingWorkflow(container).run({ input: { id: "supf_123", resolution: "supplier confirmed the refund", actor: "user_1" } })
 *
 * @summary Resolve a supplier finding.
 */
export const resolveSupplierFindingWorkflow = createWorkflow(resolveSupplierFindingWorkflowId, (input: ResolveSupplierFindingWorkflowInput) => {
  return new WorkflowResponse(resolveSupplierFindingStep(input))
})
