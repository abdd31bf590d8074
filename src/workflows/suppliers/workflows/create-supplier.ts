import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createSupplierStep, CreateSupplierStepInput } from "../steps/create-supplier"

export type CreateSupplierWorkflowInput = CreateSupplierStepInput
export type CreateSupplierWorkflowOutput = { id: string }

export const createSupplierWorkflowId = "create-supplier"

/**
 * Creates an upstream supplier with its adapter, settings and credentials — sealed before the workflow, so it never
 * carries them in clear.
 *
 * @example
 * const { supplier_id, credentials } = suppliersModule(container).sealCredentials(null, { secret })
 * await createSupplierWorkflow(container).run({ input: { id: supplier_id, name: "Top-ups Ltd", adapter: "generic_http", base_url: "https://api.example.com", config, credentials } })
 *
 * @summary Create a supplier.
 */
export const createSupplierWorkflow = createWorkflow(createSupplierWorkflowId, (input: CreateSupplierWorkflowInput) => {
  return new WorkflowResponse(createSupplierStep(input))
})
