import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { riskModule } from "../utils/risk-module"

export const deleteRiskRuleStepId = "delete-risk-rule"

/** Deletes a risk rule (soft). Compensation restores it. */
export const deleteRiskRuleStep = createStep(
  deleteRiskRuleStepId,
  async (input: { id: string }, { container }) => {
    await riskModule(container).retrieveRiskRule(input.id)
    await riskModule(container).softDeleteRiskRules([input.id])
    return new StepResponse({ id: input.id }, input.id)
  },
  async (id, { container }) => {
    if (id) await riskModule(container).restoreRiskRules([id])
  }
)
