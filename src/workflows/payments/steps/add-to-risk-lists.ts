import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RiskKey } from "../../../modules/risk/evaluate"
import { riskModule } from "../../risk/utils/risk-module"

export type AddToRiskListsStepInput = {
  entries: { key: RiskKey; value: string }[]
  list_type: "block" | "review"
  reason: string
}

export const addToRiskListsStepId = "add-to-risk-lists"

/**
 * Puts a disputed payment's customer, email, IP and card fingerprint on the risk lists of disputed payments (block or
 * review, per the module's `dispute_list` option). Not compensated: an admin takes a value off a list on the risk page.
 */
export const addToRiskListsStep = createStep(addToRiskListsStepId, async (input: AddToRiskListsStepInput, { container }) => {
  const risk = riskModule(container)
  const rules = new Set<string>()
  for (const entry of input.entries) {
    if (!entry.value) continue
    rules.add(await risk.addToRiskList({ key: entry.key, value: entry.value, list_type: input.list_type, reason: input.reason }))
  }
  return new StepResponse({ rule_ids: [...rules], listed: input.entries.filter((e) => !!e.value).length })
})
