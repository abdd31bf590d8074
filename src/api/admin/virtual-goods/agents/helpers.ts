import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { AccountBalance } from "../../../../modules/agents"
import { agentsModule } from "../../../../workflows/agents/utils/agents-module"

/** The fields of an agent's API key that responses show: never its secret or hash. */
export const AGENT_KEY_FIELDS = ["id", "agent_id", "name", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at", "created_by", "created_at"]

const AGENT_FIELDS = ["id", "name", "parent_id", "customer_group_id", "status", "webhook_url", "created_at", "customer.id", "customer.email"]

type AgentRow = {
  id: string
  name: string
  parent_id: string | null
  customer_group_id: string | null
  status: string
  webhook_url: string | null
  created_at: Date
  customer?: { id: string; email: string | null } | null
}

/** An agent as the admin and wholesale routes answer it: with its accounts (amounts as exact decimal strings). */
export type AgentWithAccounts = AgentRow & { accounts: Omit<AccountBalance, "agent_id">[] }

/** Agents (all, or `ids`) with their accounts, oldest first. */
export async function fetchAgents(scope: MedusaContainer, ids?: string[]): Promise<AgentWithAccounts[]> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "agent",
    fields: AGENT_FIELDS,
    filters: ids ? { id: ids } : {},
    pagination: { order: { created_at: "ASC" } },
  })
  const balances = await agentsModule(scope).balances(ids)
  return (data as AgentRow[]).map((a) => ({
    ...a,
    accounts: balances.filter((b) => b.agent_id === a.id).map(({ agent_id: _a, ...b }) => b),
  }))
}

/** One agent with its accounts; 404 when there is none with that id. */
export async function fetchAgent(scope: MedusaContainer, id: string): Promise<AgentWithAccounts> {
  const [agent] = await fetchAgents(scope, [id])
  if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${id} was not found`)
  return agent
}
