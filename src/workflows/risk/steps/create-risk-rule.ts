import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RiskRuleInput } from "../../../modules/risk/evaluate"
import { riskModule } from "../utils/risk-module"

export const createRiskRuleStepId = "create-risk-rule"

/** Creates a risk rule (checked first). Compensation deletes it. */
export const createRiskRuleStep = createStep(
  createRiskRuleStepId,
  async (input: Partial<RiskRuleInput>, { container }) => {
    const created = await riskModule(container).createRule(input)
    return new StepResponse({ id: created.id }, created.id)
  },
  async (id, { container }) => {
    if (id) await riskModule(container).deleteRiskRules([id])
  }
)
