import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MathBN } from "@medusajs/framework/utils"
import type { LedgerActor } from "../../../modules/agents"
import { toAmount } from "../../../modules/agents/service"
import { toDecimal } from "../utils/amounts"
import { agentsModule } from "../utils/agents-module"

export type TopUpAgentStepInput = {
  agent_id: string
  currency_code: string
  /** The amount credited (exact decimal). */
  amount: string | number
  note?: string | null
  /** Who made the top-up. */
  actor: LedgerActor
}

export const topUpAgentStepId = "top-up-agent"

/**
 * Posts a top-up (house → agent). Compensation posts the reverse as an adjustment: the ledger is append-only.
 *
 * @example
 * const { transaction_id } = topUpAgentStep({ agent_id, currency_code: "cny", amount: "1000", actor: { type: "user", id } })
 */
export const topUpAgentStep = createStep(
  topUpAgentStepId,
  async (input: TopUpAgentStepInput, { container }) => {
    const { transaction_id } = await agentsModule(container).topUp(input)
    return new StepResponse({ transaction_id }, { ...input, transaction_id })
  },
  async (data, { container }) => {
    if (!data) return
    const service = agentsModule(container)
    const account = await service.accountOf(data.agent_id, data.currency_code)
    const house = await service.houseAccount(data.currency_code)
    const amount = toAmount(data.amount)
    await service.post({
      kind: "adjustment",
      legs: [
        { account_id: account.account_id, amount: toDecimal(MathBN.mult(amount, -1)) },
        { account_id: house, amount },
      ],
      reference_type: "ledger_transaction",
      reference_id: data.transaction_id,
      note: "reversal of a top-up whose workflow failed",
      actor: { type: "system" },
    })
  }
)
