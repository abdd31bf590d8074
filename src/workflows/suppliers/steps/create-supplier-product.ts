import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { parseRecipientFields } from "../../../modules/suppliers"
import { suppliersModule } from "../utils/suppliers-module"

export type CreateSupplierProductStepInput = {
  supplier_id: string
  kind: "topup" | "codes"
  upstream_product_id: string
  name: string
  unit_cost?: string | null
  currency_code?: string | null
  max_unit_cost?: string | null
  recipient_fields?: unknown[]
  restock_threshold?: number | null
  restock_quantity?: number | null
  restock_daily_budget?: string | null
  restock_daily_cap?: number | null
  pass_through?: boolean
}

export const createSupplierProductStepId = "create-supplier-product"

/** Creates a supplier product (its recipient fields checked); compensation deletes it. */
export const createSupplierProductStep = createStep(
  createSupplierProductStepId,
  async (input: CreateSupplierProductStepInput, { container }) => {
    const suppliers = suppliersModule(container)
    await suppliers.retrieveSupplier(input.supplier_id)
    const fields = parseRecipientFields(input.recipient_fields ?? [])
    const id = await suppliers.insertSupplierRow("supplier_product", { ...input, recipient_fields: fields })
    return new StepResponse({ id }, id)
  },
  async (id, { container }) => {
    if (id) await suppliersModule(container).deleteSupplierProducts(id)
  }
)
