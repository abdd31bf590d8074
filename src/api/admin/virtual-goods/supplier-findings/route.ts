import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { suppliersModule } from "../../../../workflows/suppliers/utils/suppliers-module"
import type { AdminGetSupplierFindingsParamsType } from "../suppliers/validators"

/** What reconciliation and the alerts found about suppliers, newest first, filtered by status, kind or supplier. */
export const GET = async (req: MedusaRequest<unknown, AdminGetSupplierFindingsParamsType>, res: MedusaResponse) => {
  const { status, kind, supplier_id, limit, offset } = req.validatedQuery as AdminGetSupplierFindingsParamsType
  const filters: Record<string, string> = {}
  if (status) filters.status = status
  if (kind) filters.kind = kind
  if (supplier_id) filters.supplier_id = supplier_id
  const [findings, count] = await suppliersModule(req.scope).listAndCountSupplierFindings(filters, { take: limit, skip: offset, order: { created_at: "DESC", id: "DESC" } })
  res.json({ supplier_findings: findings, count, limit, offset })
}
