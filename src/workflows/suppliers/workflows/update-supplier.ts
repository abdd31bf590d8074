import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateSupplierStep, UpdateSupplierStepInput } from "../steps/update-supplier"

export type UpdateSupplierWorkflowInput = UpdateSupplierStepInput
export type UpdateSupplierWorkflowOutput = { id: string }

export const updateSupplierWorkflowId = "update-supplier"

/**
 * Updates a supplier's settings, status or credentials.
 *
 * @example
 * await updateSupplierWorkflow(container).run({ input: { id: "sup_123", status: "disabled" } })
 *
 * @summary Update a supplier.
 */
export const updateSupplierWorkflow = createWorkflow(updateSupplierWorkflowId, (input: UpdateSupplierWorkflowInput) => {
  return new WorkflowResponse(updateSupplierStep(input))
})
