import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { approveRiskReviewWorkflow } from "../../../../../../../workflows/risk"
import type { AdminRiskReviewType } from "../../../../validators"
import { riskModule } from "../../../../../../../workflows/risk/utils/risk-module"

/** Approves a held order: its codes are delivered (once) and the approval is audited. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRiskReviewType>, res: MedusaResponse) => {
  await approveRiskReviewWorkflow(req.scope).run({
    input: { decision_id: req.params.id, user_id: req.auth_context?.actor_id ?? null, note: req.validatedBody?.note ?? null },
  })
  const risk = riskModule(req.scope)
  res.json({ risk_decision: await risk.retrieveRiskDecision(req.params.id) })
}
