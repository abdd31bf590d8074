import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { createSupplierWorkflow } from "../../../../workflows/suppliers"
import { suppliersModule } from "../../../../workflows/suppliers/utils/suppliers-module"
import { supplierResponse, SUPPLIER_FIELDS } from "./helpers"
import type { AdminCreateSupplierType } from "./validators"

/** The suppliers, with health, last error and balance; credentials appear only as the names of the fields set. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const suppliers = await suppliersModule(req.scope).listSuppliers({}, { select: [...SUPPLIER_FIELDS], order: { name: "ASC" } })
  res.json({ suppliers: suppliers.map((s) => ({ ...s, credential_fields: Object.keys((s.credential_fields ?? {}) as Record<string, unknown>) })) })
}

/** Creates a supplier (its adapter, settings and credentials — sealed before anything else sees them, never answered). */
export const POST = async (req: MedusaRequest<AdminCreateSupplierType>, res: MedusaResponse) => {
  const { credentials: given, ...settings } = req.validatedBody
  const { supplier_id, credentials } = suppliersModule(req.scope).sealCredentials(null, given ?? {})
  const { result } = await createSupplierWorkflow(req.scope).run({ input: { ...settings, id: supplier_id, credentials } })
  res.status(201).json({ supplier: await supplierResponse(req.scope, result.id) })
}
