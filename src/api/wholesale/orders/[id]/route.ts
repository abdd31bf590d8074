import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { agentOf, agentOrderResponse, isAgentOrderHeld, listAgentOrderCodes, requireScope, retrieveAgentOrder, topUpsOfAgentOrder } from "../../helpers"

/** One of the agent's orders with its codes masked (scope `orders:read`); another agent's order is 404. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  const order = await retrieveAgentOrder(req.scope, { id: req.params.id, agent_id: principal.agent_id })
  const codes = await listAgentOrderCodes(req.scope, order)
  res.json(agentOrderResponse(order, codes, await isAgentOrderHeld(req.scope, order.id), await topUpsOfAgentOrder(req.scope, order)))
}
