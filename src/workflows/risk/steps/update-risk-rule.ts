import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RiskRuleInput } from "../../../modules/risk/evaluate"
import { riskModule } from "../utils/risk-module"

export const updateRiskRuleStepId = "update-risk-rule"

/** Changes a risk rule (the result is checked as a whole). Compensation puts the previous version back. */
export const updateRiskRuleStep = createStep(
  updateRiskRuleStepId,
  async (input: Partial<RiskRuleInput> & { id: string }, { container }) => {
    const previous = await riskModule(container).updateRule(input)
    return new StepResponse({ id: input.id }, previous)
  },
  async (previous, { container }) => {
    if (previous) await riskModule(container).restoreRule(previous)
  }
)
