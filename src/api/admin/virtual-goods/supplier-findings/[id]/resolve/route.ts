import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resolveSupplierFindingWorkflow } from "../../../../../../workflows/suppliers"
import { suppliersModule } from "../../../../../../workflows/suppliers/utils/suppliers-module"
import type { AdminResolveSupplierFindingType } from "../../../suppliers/validators"

/** Resolves an open finding with what the admin did about it (404 when it is not open). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminResolveSupplierFindingType>, res: MedusaResponse) => {
  await resolveSupplierFindingWorkflow(req.scope).run({
    input: { id: req.params.id, resolution: req.validatedBody.resolution, actor: req.auth_context?.actor_id ?? "admin" },
  })
  res.json({ supplier_finding: await suppliersModule(req.scope).retrieveSupplierFinding(req.params.id) })
}
