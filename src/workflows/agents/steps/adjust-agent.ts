import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { LedgerActor } from "../../../modules/agents"
import { agentsModule } from "../utils/agents-module"

export type AdjustAgentStepInput = {
  agent_id: string
  currency_code: string
  /** The signed correction (exact decimal): positive credits the agent, negative debits it. */
  amount: string | number
  /** Why: kept on the ledger entry. */
  note: string
  /** Who made the adjustment. */
  actor: LedgerActor
}

export const adjustAgentStepId = "adjust-agent"

/**
 * Posts a manual adjustment (house ↔ agent) with its reason. Compensation posts the exact reverse.
 *
 * @example
 * const { transaction_id } = adjustAgentStep({ agent_id, currency_code: "cny", amount: "-12.5", note: "duplicate top-up", actor })
 */
export const adjustAgentStep = createStep(
  adjustAgentStepId,
  async (input: AdjustAgentStepInput, { container }) => {
    const { transaction_id } = await agentsModule(container).adjust(input)
    return new StepResponse({ transaction_id }, transaction_id)
  },
  async (transactionId, { container }) => {
    if (!transactionId) return
    await agentsModule(container).reverseTransaction({
      transaction_id: transactionId,
      note: "reversal of an adjustment whose workflow failed",
      actor: { type: "system" },
    })
  }
)
