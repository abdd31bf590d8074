import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { agentOf, agentOrderResponse, codeOwnersOf, isAgentOrderHeld, requireScope, retrieveAgentOrder, revealedOrderCodes, topUpsOfAgentOrder } from "../../../helpers"
import { cardVaultModule } from "../../../../../workflows/virtual-goods/utils/card-vault-module"

/** The order's codes in plaintext again (scope `orders:read`); every fetch is a `reveal` in the audit log. */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  res.setHeader("Cache-Control", "no-store")
  const order = await retrieveAgentOrder(req.scope, { id: req.params.id, agent_id: principal.agent_id })
  // Revealed on purpose, in one audited statement, with the agent as actor.
  const revealed = await cardVaultModule(req.scope).revealOwnerCodes({
    owner_ids: codeOwnersOf(order),
    actor: { type: "agent", id: principal.agent_id, ip: req.ip ?? null },
    reason: `wholesale order ${order.id}`,
  })
  res.json(agentOrderResponse(order, revealedOrderCodes(revealed), await isAgentOrderHeld(req.scope, order.id), await topUpsOfAgentOrder(req.scope, order)))
}
