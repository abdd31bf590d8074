import type { AuthenticatedMedusaRequest, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type RiskModuleService from "../../../../../modules/risk/service"
import { createRiskRuleWorkflow } from "../../../../../workflows/risk"
import type { AdminCreateRiskRuleType } from "../../validators"
import { riskModule } from "../../../../../workflows/risk/utils/risk-module"

type RiskRuleRecord = Awaited<ReturnType<RiskModuleService["retrieveRiskRule"]>>

/** A rule as the admin routes answer it: the threshold as a JSON number, without its raw form. */
export const riskRuleBody = (r: RiskRuleRecord) => ({ ...r, threshold: r.threshold === null || r.threshold === undefined ? null : Number(r.threshold), raw_threshold: undefined })

/** Every risk rule, oldest first. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const risk = riskModule(req.scope)
  const rules = await risk.listRiskRules({}, { order: { created_at: "ASC" } })
  res.json({ risk_rules: rules.map(riskRuleBody) })
}

/** Adds a rule; what its kind needs is checked (400 naming the field). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminCreateRiskRuleType>, res: MedusaResponse) => {
  const { result } = await createRiskRuleWorkflow(req.scope).run({ input: req.validatedBody })
  const risk = riskModule(req.scope)
  res.status(201).json({ risk_rule: riskRuleBody(await risk.retrieveRiskRule(result.id)) })
}
