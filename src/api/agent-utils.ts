import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { AGENTS_MODULE } from "../modules/agents"
import type AgentsModuleService from "../modules/agents/service"
import type { AgentKeyScope, AgentPrincipal } from "../modules/agents/service"

export const AGENT_KEY_FIELDS = ["id", "agent_id", "name", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at", "created_by", "created_at"]

const agentsOf = (req: MedusaRequest): AgentsModuleService => req.scope.resolve(AGENTS_MODULE)

/** Agents with their accounts; amounts as exact decimal strings. */
export async function fetchAgents(req: MedusaRequest, ids?: string[]) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "agent",
    fields: ["id", "name", "parent_id", "customer_group_id", "status", "created_at", "customer.id", "customer.email"],
    filters: ids ? { id: ids } : {},
    pagination: { order: { created_at: "ASC" } } as any,
  })
  const balances = await agentsOf(req).balances(ids)
  return (data as any[]).map((a) => ({
    ...a,
    accounts: balances.filter((b) => b.agent_id === a.id).map(({ agent_id: _a, ...b }) => b),
  }))
}

export async function fetchAgent(req: MedusaRequest, id: string) {
  const [agent] = await fetchAgents(req, [id])
  if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${id} was not found`)
  return agent
}

/** The wholesale API's credential: `Authorization: Bearer vgk_…` (or `x-api-key`), checked on every request. */
export async function authenticateAgentKey(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const header = req.get("authorization") ?? ""
    const key = header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : (req.get("x-api-key") ?? "").trim()
    ;(req as any).agent = await agentsOf(req).authenticateApiKey(key)
    next()
  } catch (e) {
    next(e)
  }
}

/** The agent a wholesale request was authenticated as. */
export function agentOf(req: MedusaRequest): AgentPrincipal {
  const principal = (req as any).agent as AgentPrincipal | undefined
  if (!principal) throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid, expired or revoked API key")
  return principal
}

/** Refuses a wholesale request whose key lacks `scope` (403, naming the scope). */
export function requireScope(principal: AgentPrincipal, scope: AgentKeyScope) {
  if (!principal.scopes.includes(scope)) {
    throw new MedusaError(MedusaError.Types.FORBIDDEN, `This API key lacks the scope ${scope}`)
  }
}
