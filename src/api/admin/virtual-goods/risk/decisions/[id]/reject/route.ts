import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { rejectRiskReviewWorkflow } from "../../../../../../../workflows/risk"
import type { AdminRiskReviewType } from "../../../../validators"
import { riskModule } from "../../../../../../../workflows/risk/utils/risk-module"

/** Rejects a held order with a reason: canceled and refunded, its codes back in stock, the customer told, audited. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRiskReviewType>, res: MedusaResponse) => {
  await rejectRiskReviewWorkflow(req.scope).run({
    input: { decision_id: req.params.id, user_id: req.auth_context?.actor_id ?? null, note: req.validatedBody?.note ?? null },
  })
  const risk = riskModule(req.scope)
  res.json({ risk_decision: await risk.retrieveRiskDecision(req.params.id) })
}
