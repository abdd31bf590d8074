import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"

export type UpdateSupplierProductStepInput = {
  id: string
  /** The supplier the product must belong to (the route's). */
  supplier_id: string
  name?: string
  status?: "active" | "disabled"
  unit_cost?: string | null
  currency_code?: string | null
  max_unit_cost?: string | null
  restock_threshold?: number | null
  restock_quantity?: number | null
  restock_daily_budget?: string | null
  restock_daily_cap?: number | null
  pass_through?: boolean
}

export const updateSupplierProductStepId = "update-supplier-product"

const CODES_ONLY = ["restock_threshold", "restock_quantity", "restock_daily_budget", "restock_daily_cap", "pass_through"] as const

/**
 * Updates a supplier product's settings: its name, status, costs and price guard, and for a codes product its
 * restocking and pass-through. A product of another supplier is a 404; a codes-only setting on a top-up is a 400
 * naming it. Compensation restores the previous values.
 */
export const updateSupplierProductStep = createStep(
  updateSupplierProductStepId,
  async (input: UpdateSupplierProductStepInput, { container }) => {
    const suppliers = suppliersModule(container)
    const { id, supplier_id, ...fields } = input
    const [before] = await suppliers.listSupplierProducts({ id, supplier_id }, { take: 1 })
    if (!before) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Supplier product with id: ${id} was not found for supplier ${supplier_id}`)
    if (before.kind !== "codes") {
      const wrong = CODES_ONLY.find((k) => fields[k] !== undefined)
      if (wrong) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${wrong}: only a codes product (linked to a pool) has it; ${id} is a ${before.kind} product`)
    }
    const row = before as unknown as Record<string, unknown>
    const keys = Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined)
    const previous = Object.fromEntries(keys.map((k) => [k, row[k] === undefined || row[k] === null ? null : typeof row[k] === "object" ? String(row[k]) : row[k]]))
    await suppliers.updateSupplierRow("supplier_product", id, fields)
    return new StepResponse({ id }, { id, previous })
  },
  async (undo, { container }) => {
    if (undo && Object.keys(undo.previous).length) await suppliersModule(container).updateSupplierRow("supplier_product", undo.id, undo.previous)
  }
)
