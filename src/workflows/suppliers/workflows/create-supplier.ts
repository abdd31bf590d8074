import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createSupplierStep, CreateSupplierStepInput } from "../steps/create-supplier"

export type CreateSupplierWorkflowInput = CreateSupplierStepInput
export type CreateSupplierWorkflowOutput = { id: string }

export const createSupplierWorkflowId = "create-supplier"

/**
 * Creates an upstream supplier with its adapter, settings and sealed credentials.
 *
 * @example
 * await createSupplierWorkflow(container).run({ input: { name: "Top-ups Ltd", adapter: "generic_http", base_url: "https://api.example.com", config, credentials: { secret } } })
 *
 * @summary Create a supplier.
 */
export const createSupplierWorkflow = createWorkflow(createSupplierWorkflowId, (input: CreateSupplierWorkflowInput) => {
  return new WorkflowResponse(createSupplierStep(input))
})
