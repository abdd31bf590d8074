import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateSupplierProductStep, UpdateSupplierProductStepInput } from "../steps/update-supplier-product"

export type UpdateSupplierProductWorkflowInput = UpdateSupplierProductStepInput
export type UpdateSupplierProductWorkflowOutput = { id: string }

export const updateSupplierProductWorkflowId = "update-supplier-product"

/**
 * Updates a supplier product: name, status, costs and price guard; for a codes product also its restocking and
 * whether sales with no local stock buy from the supplier at delivery (`pass_through`).
 *
 * @example
 * await updateSupplierProductWorkflow(container).run({ input: { id: "supprod_123", supplier_id: "sup_123", pass_through: true } })
 *
 * @summary Update a supplier product.
 */
export const updateSupplierProductWorkflow = createWorkflow(updateSupplierProductWorkflowId, (input: UpdateSupplierProductWorkflowInput) => {
  return new WorkflowResponse(updateSupplierProductStep(input))
})
