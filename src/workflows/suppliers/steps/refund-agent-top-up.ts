import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../../agents/utils/agents-module"

export type RefundAgentTopUpStepInput = {
  supplier_order_id: string
  agent_order_id: string
  /** Who decided (an admin's id), or null for the automatic refund of a definite failure. */
  actor?: string | null
  /** The masked recipient and the failure's reason, for the agent's `topup.refunded` webhook. */
  recipient?: string | null
  reason?: string | null
}

export const refundAgentTopUpStepId = "refund-agent-top-up"

/**
 * Gives an agent back a failed top-up line of its wholesale order: the line's exact share of the purchase posting
 * reversed in the agents' ledger (commissions included), its quota released and the `topup.refunded` webhook queued,
 * in one transaction, once per supplier order (a repeat — a recovery after a crash, an admin's second click — finds
 * the refund already posted and posts nothing). Nothing to compensate: the posting is the effect, and it is idempotent.
 */
export const refundAgentTopUpStep = createStep(refundAgentTopUpStepId, async (input: RefundAgentTopUpStepInput, { container }) => {
  const refund = await agentsModule(container).refundOrderLine({
    agent_order_id: input.agent_order_id,
    supplier_order_id: input.supplier_order_id,
    note: `Top-up failed at the supplier (supplier order ${input.supplier_order_id})`,
    actor: input.actor ? { type: "user", id: input.actor } : { type: "system" },
    webhook: { status: "refunded", recipient: input.recipient ?? null, reason: input.reason?.slice(0, 200) ?? null },
  })
  return new StepResponse({ refunded: true, already: refund.already, amount: refund.amount, transaction_id: refund.transaction_id })
})
