import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { SupplierAdapter, SupplierConnection, UpstreamProduct } from "../../../../../../modules/suppliers/service"
import { createSupplierProductWorkflow } from "../../../../../../workflows/suppliers"
import { suppliersModule } from "../../../../../../workflows/suppliers/utils/suppliers-module"
import type { AdminCreateSupplierProductType } from "../../validators"

/** What the supplier sells us now (its catalog, read live through its adapter), to pick products from. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const upstream = await suppliersModule(req.scope).callSupplier<UpstreamProduct[]>(req.params.id, (a: SupplierAdapter, c: SupplierConnection) => a.listProducts(c), {
    allowDisabled: true,
  })
  res.json({ upstream_products: upstream })
}

/** Creates a product bought from this supplier: a top-up linked to its variant, or codes linked to the pool they restock. */
export const POST = async (req: MedusaRequest<AdminCreateSupplierProductType>, res: MedusaResponse) => {
  const { result } = await createSupplierProductWorkflow(req.scope).run({ input: { ...req.validatedBody, supplier_id: req.params.id } })
  res.status(201).json({ product: await suppliersModule(req.scope).retrieveSupplierProduct(result.id) })
}
