import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { agentOf, agentOrderBody, requireScope } from "../../../agent-utils"

/** One of the agent's orders with its codes masked (scope `orders:read`); another agent's order is 404. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  res.json(await agentOrderBody(req, req.params.id, { reveal: false }))
}
