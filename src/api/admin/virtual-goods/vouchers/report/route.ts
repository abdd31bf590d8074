import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { redemptionReport } from "../../../../../workflows/redemption/utils/redemption-report"
import type { VoucherReportParamsType } from "../validators"

/** The redemption report (核销率) of a period: per pool, batch and agent, and the redemptions per channel. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, VoucherReportParamsType>, res: MedusaResponse) => {
  res.json({ report: await redemptionReport(req.scope, req.validatedQuery) })
}
