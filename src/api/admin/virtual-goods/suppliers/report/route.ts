import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { suppliersModule } from "../../../../../workflows/suppliers/utils/suppliers-module"
import type { AdminGetSupplierReportParamsType } from "../validators"

/** The suppliers' margin report between two dates, per product: orders, outcomes, refunds, revenue, cost, margin. */
export const GET = async (req: MedusaRequest<unknown, AdminGetSupplierReportParamsType>, res: MedusaResponse) => {
  const { from, to } = req.validatedQuery as AdminGetSupplierReportParamsType
  res.json({ from, to, rows: await suppliersModule(req.scope).marginReport({ from, to }) })
}
