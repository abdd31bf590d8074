import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateSupplierWorkflow } from "../../../../../workflows/suppliers"
import { suppliersModule } from "../../../../../workflows/suppliers/utils/suppliers-module"
import { supplierResponse } from "../helpers"
import type { AdminUpdateSupplierType } from "../validators"

/** A supplier with its products. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const supplier = await supplierResponse(req.scope, req.params.id)
  const products = await suppliersModule(req.scope).listSupplierProducts({ supplier_id: req.params.id }, { order: { name: "ASC" } })
  res.json({ supplier, products })
}

/** Updates a supplier's settings or status; credentials given replace the sealed ones. */
export const POST = async (req: MedusaRequest<AdminUpdateSupplierType>, res: MedusaResponse) => {
  const { credentials: given, ...settings } = req.validatedBody
  // Sealed before the workflow, bound to this supplier: the workflow never carries them in clear.
  const credentials = given ? suppliersModule(req.scope).sealCredentials(req.params.id, given).credentials : undefined
  await updateSupplierWorkflow(req.scope).run({ input: { id: req.params.id, ...settings, credentials } })
  res.json({ supplier: await supplierResponse(req.scope, req.params.id) })
}
