import type { AuthenticatedMedusaRequest, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateAgentWorkflow } from "../../../../../workflows/agents/workflows"
import { fetchAgent } from "../helpers"
import type { AdminUpdateAgentType } from "../../validators"

/** One agent with its accounts and webhook URL. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  res.json({ agent: await fetchAgent(req.scope, req.params.id) })
}

/** Renames, freezes or unfreezes the agent, or sets its credit limit in a currency (not below what it owes). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminUpdateAgentType>, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  await updateAgentWorkflow(req.scope).run({ input: { id: req.params.id, ...req.validatedBody } })
  res.json({ agent: await fetchAgent(req.scope, req.params.id) })
}
