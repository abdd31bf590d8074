import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AGENTS_MODULE } from "../../../../../modules/agents"
import type AgentsModuleService from "../../../../../modules/agents/service"
import type { AgentOrderDTO } from "../../../../../modules/agents/types"
import { CARD_CODE_FIELDS, type CardCodeRow, vaultOf } from "../../../../utils/card-vault"
import type { AdminSearchCardCodesType } from "../../validators"

/** The agent chain an agent order recorded (a JSON column): agent ids from the buyer up. */
const chainOf = (o: AgentOrderDTO): string[] => (o.agent_chain as unknown as string[] | null) ?? []

/**
 * Finds a code by its full value (trimmed) through the blind index, optionally within one pool: `{ card_codes }`,
 * masked, empty when nothing matches. The value comes in the body, never in a URL. A code sold through a reseller
 * carries `sold_through`: the wholesale order and the agent chain from the buyer up (who to ask when the code turns up
 * on a price-dumping site); otherwise null.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSearchCardCodesType>, res: MedusaResponse) => {
  const { code, pool_id } = req.validatedBody
  const filters: Record<string, unknown> = { blind_index: vaultOf(req).blindIndexOf(code) }
  if (pool_id) filters.pool_id = pool_id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "card_code", fields: CARD_CODE_FIELDS, filters })
  const codes = data as CardCodeRow[]
  const orderIds = [...new Set(codes.flatMap((c) => (c.order_id ? [c.order_id] : [])))]
  const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
  // A wholesale order's codes belong to the agent order until its Medusa order is recorded, then to that order.
  const agentOrders = orderIds.length
    ? await agents.listAgentOrders({ $or: [{ order_id: orderIds }, { id: orderIds }], status: "completed" })
    : []
  const chainIds = [...new Set(agentOrders.flatMap(chainOf))]
  const names = new Map((chainIds.length ? await agents.listAgents({ id: chainIds }, { select: ["id", "name"], withDeleted: true }) : []).map((a) => [a.id, a.name]))
  const soldThrough = new Map(
    agentOrders.flatMap((o) => {
      const through = { agent_order_id: o.id, chain: chainOf(o).map((id) => ({ id, name: names.get(id) ?? null })) }
      return [[o.id, through], ...(o.order_id ? [[o.order_id, through]] : [])] as [string, typeof through][]
    })
  )
  res.json({ card_codes: codes.map((c) => ({ ...c, sold_through: (c.order_id && soldThrough.get(c.order_id)) || null })) })
}
