import type { AuthenticatedMedusaRequest, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { deleteRiskRuleWorkflow, updateRiskRuleWorkflow } from "../../../../../../workflows/risk"
import type { AdminUpdateRiskRuleType } from "../../../validators"
import { riskRuleBody } from "../route"
import { riskModule } from "../../../../../../workflows/risk/utils/risk-module"

/** Changes a rule (enable or disable it, thresholds, list entries); the result is checked as a whole. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminUpdateRiskRuleType>, res: MedusaResponse) => {
  await updateRiskRuleWorkflow(req.scope).run({ input: { ...req.validatedBody, id: req.params.id } })
  const risk = riskModule(req.scope)
  res.json({ risk_rule: riskRuleBody(await risk.retrieveRiskRule(req.params.id)) })
}

/** Removes a rule; decisions taken with it keep their reasons. */
export const DELETE = async (req: MedusaRequest, res: MedusaResponse) => {
  await deleteRiskRuleWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ id: req.params.id, object: "risk_rule", deleted: true })
}
