import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"
import type { CreateSupplierStepInput } from "./create-supplier"

export type UpdateSupplierStepInput = Partial<Omit<CreateSupplierStepInput, "adapter" | "id">> & { id: string; status?: "active" | "disabled" }

export const updateSupplierStepId = "update-supplier"

/**
 * Updates a supplier's settings, and replaces its credentials when given (sealed before the workflow). Compensation
 * restores the settings (replaced credentials are not restorable, so they are set last).
 */
export const updateSupplierStep = createStep(
  updateSupplierStepId,
  async (input: UpdateSupplierStepInput, { container }) => {
    const suppliers = suppliersModule(container)
    const { credentials, id, ...fields } = input
    const before = (await suppliers.retrieveSupplier(id)) as unknown as Record<string, unknown>
    const previous = Object.fromEntries(Object.keys(fields).map((k) => [k, before[k] ?? null]))
    if (Object.keys(fields).length) await suppliers.updateSupplierRow("supplier", id, fields)
    if (credentials) await suppliers.setCredentials(id, credentials)
    return new StepResponse({ id }, { id, previous })
  },
  async (undo, { container }) => {
    if (undo && Object.keys(undo.previous).length) await suppliersModule(container).updateSupplierRow("supplier", undo.id, undo.previous)
  }
)
