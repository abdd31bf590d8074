import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateSupplierProductWorkflow } from "../../../../../../../workflows/suppliers"
import { suppliersModule } from "../../../../../../../workflows/suppliers/utils/suppliers-module"
import type { AdminUpdateSupplierProductType } from "../../../validators"

/** Updates a product bought from this supplier (costs, price guard, status; restocking and pass-through for codes). */
export const POST = async (req: MedusaRequest<AdminUpdateSupplierProductType>, res: MedusaResponse) => {
  await updateSupplierProductWorkflow(req.scope).run({ input: { ...req.validatedBody, id: req.params.product_id, supplier_id: req.params.id } })
  res.json({ product: await suppliersModule(req.scope).retrieveSupplierProduct(req.params.product_id) })
}
