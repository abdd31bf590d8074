import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { createAgentWorkflow } from "../../../../workflows/agents/workflows"
import { fetchAgent, fetchAgents } from "./helpers"
import type { AdminCreateAgentType } from "../validators"

/** Every agent with its parent, status, tier and accounts (balance, credit limit, available). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const agents = await fetchAgents(req.scope)
  res.json({ agents, count: agents.length })
}

/** Creates an agent (under `parent_id` if given) with its account. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminCreateAgentType>, res: MedusaResponse) => {
  const { result } = await createAgentWorkflow(req.scope).run({ input: req.validatedBody })
  res.status(200).json({ agent: await fetchAgent(req.scope, result.agent_id) })
}
