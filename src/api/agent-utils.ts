import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { AGENTS_MODULE } from "../modules/agents"
import type AgentsModuleService from "../modules/agents/service"
import type { AgentKeyScope, AgentOrderRow, AgentPrincipal } from "../modules/agents/service"
import { CARD_VAULT_MODULE } from "../modules/card-vault"
import { RISK_MODULE } from "../modules/risk"
import type RiskModuleService from "../modules/risk/service"
import type CardVaultModuleService from "../modules/card-vault/service"

export const AGENT_KEY_FIELDS = ["id", "agent_id", "name", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at", "created_by", "created_at"]

const agentsOf = (req: MedusaRequest): AgentsModuleService => req.scope.resolve(AGENTS_MODULE)

/** Agents with their accounts; amounts as exact decimal strings. */
export async function fetchAgents(req: MedusaRequest, ids?: string[]) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "agent",
    fields: ["id", "name", "parent_id", "customer_group_id", "status", "webhook_url", "created_at", "customer.id", "customer.email"],
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

/**
 * A wholesale order as the agent sees it: its lines with unit prices and each line's codes — masked, or in plaintext
 * with `reveal` (every reveal audited with the agent as actor). Not the agent's own, or not complete: 404, the same
 * answer as for an id that does not exist.
 */
export async function agentOrderBody(
  req: MedusaRequest,
  agentOrderId: string,
  options: { reveal: boolean; /** The order as just recorded, and whether it is held: not read again. */ known?: { order: AgentOrderRow; held: boolean } }
) {
  const principal = agentOf(req)
  const agents = agentsOf(req)
  const order = options.known?.order ?? (await agents.findCompletedOrder({ id: agentOrderId, agent_id: principal.agent_id }))
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${agentOrderId} was not found`)
  const vault = req.scope.resolve(CARD_VAULT_MODULE) as CardVaultModuleService
  // The codes belong to the agent order from the answer on, and to its Medusa order once the bookkeeping has recorded it.
  const owners = [order.id, order.order_id].filter((o): o is string => !!o)
  // Revealed in one audited statement (whichever owner holds them now: the bookkeeping may move them meanwhile), or
  // listed masked.
  const delivered: { id: string; mask: string; pool_id: string; status: string; code?: string; password?: string | null }[] = options.reveal
    ? (await vault.revealOwnerCodes({ owner_ids: owners, actor: { type: "agent", id: principal.agent_id, ip: req.ip ?? null }, reason: `wholesale order ${order.id}` })).map(
        (c) => ({ id: c.id, mask: c.mask, pool_id: c.pool_id, status: "revealed", code: c.code, password: c.password })
      )
    : (await vault.listCardCodes({ order_id: owners }, { select: ["id", "mask", "pool_id", "order_id", "status"], order: { id: "ASC" } })).filter(
        (c) => c.status === "delivered" || c.status === "revealed"
      )
  const items = (order.items ?? []).map((item) => ({
    variant_id: item.variant_id,
    title: item.title,
    product_title: item.product_title ?? null,
    quantity: item.quantity,
    unit_price: item.unit_price,
    codes: delivered
      .filter((c) => c.pool_id === item.pool_id)
      .map((c) => ({ id: c.id, mask: c.mask, status: c.status, ...(c.code !== undefined ? { code: c.code, password: c.password ?? null } : {}) })),
  }))
  const held = options.known ? options.known.held : await (req.scope.resolve(RISK_MODULE) as RiskModuleService).isHeld({ agent_order_id: order.id })
  return {
    order: {
      id: order.id,
      order_id: order.order_id,
      display_id: order.display_id,
      status: order.status,
      /** The risk rules sent the order to review: paid, its codes come once an admin approves it. */
      held_for_review: !!held,
      /** `pending` until its Medusa order (order_id, display_id) is recorded, then `done`. */
      bookkeeping_status: order.bookkeeping_status,
      currency_code: order.currency_code,
      total: order.total,
      items,
      created_at: order.created_at,
      completed_at: order.completed_at,
    },
  }
}
