import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { RISK_MODULE } from "../../../../../../../modules/risk"
import type RiskModuleService from "../../../../../../../modules/risk/service"
import { approveRiskReviewWorkflow } from "../../../../../../../workflows/risk"
import type { AdminRiskReviewType } from "../../../../validators"

/** Approves a held order: its codes are delivered (once) and the approval is audited. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRiskReviewType>, res: MedusaResponse) => {
  await approveRiskReviewWorkflow(req.scope).run({
    input: { decision_id: req.params.id, user_id: req.auth_context?.actor_id ?? null, note: req.validatedBody?.note ?? null },
  })
  const risk = req.scope.resolve(RISK_MODULE) as RiskModuleService
  res.json({ risk_decision: await risk.retrieveRiskDecision(req.params.id) })
}
