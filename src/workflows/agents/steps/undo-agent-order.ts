import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"
import { wholesaleReservationKey } from "../utils/reservation-key"
import type { StaleAgentOrder } from "./inspect-stale-agent-order"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type UndoAgentOrderStepInput = StaleAgentOrder

export const undoAgentOrderStepId = "undo-agent-order"

/**
 * Takes back what a cut-off wholesale order did (after its Medusa order, if any, was canceled and refunded): its codes
 * go back to stock, the debit and commissions are reversed by a `refund` posting, the quota is given back, and the
 * Idempotency-Key is freed so the agent can send the request again. Every part is idempotent; it is itself the undo.
 *
 * @example
 * undoAgentOrderStep(state)
 */
export const undoAgentOrderStep = createStep(undoAgentOrderStepId, async (input: UndoAgentOrderStepInput, { container }) => {
  const vault = cardVaultModule(container)
  await vault.releaseReservations({ cart_id: wholesaleReservationKey(input.agent_order_id), reason: "wholesale request interrupted" })
  const service = agentsModule(container)
  if (input.transaction_id) {
    await service.reverseTransaction({ transaction_id: input.transaction_id, note: "wholesale request interrupted", actor: { type: "system" } })
  }
  for (const q of input.quota_consumed) await service.releaseQuota(q)
  await service.abandonOrder(input.agent_order_id)
  return new StepResponse(void 0)
})
