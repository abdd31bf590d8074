import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"

export type ResolveSupplierFindingStepInput = { id: string; resolution: string; actor: string }

export const resolveSupplierFindingStepId = "resolve-supplier-finding"

/** Resolves an open supplier finding with what the admin did about it; compensation opens it again. */
export const resolveSupplierFindingStep = createStep(
  resolveSupplierFindingStepId,
  async (input: ResolveSupplierFindingStepInput, { container }) => {
    await suppliersModule(container).resolveSupplierFinding(input)
    return new StepResponse({ id: input.id }, input.id)
  },
  async (id, { container }) => {
    if (id) await suppliersModule(container).updateSupplierFindings({ id, status: "open", resolution: null, resolved_by: null, resolved_at: null })
  }
)
