import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchAgent } from "../../admin/virtual-goods/agents/helpers"
import { agentOf } from "../helpers"

/** Who the key belongs to: the agent, its accounts (balance, credit, available) and the key's scopes. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  const agent = await fetchAgent(req.scope, principal.agent_id)
  res.json({ agent, scopes: principal.scopes })
}
