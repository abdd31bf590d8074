import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchAgent } from "../../helpers"
import { agentsModule } from "../../../../../../workflows/agents/utils/agents-module"

/**
 * The agent's wholesale orders, newest first: Medusa order, total, lines at their unit prices, the agent chain, and
 * the bookkeeping — `pending` (with `lag_seconds` since the answer, attempts and the last error) until the worker has
 * recorded the Medusa order, then `done`.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const { limit, offset } = req.validatedQuery as { limit: number; offset: number }
  const agents = agentsModule(req.scope)
  const [orders, count] = await agents.listAndCountAgentOrders(
    { agent_id: req.params.id, status: "completed" },
    { take: limit, skip: offset, order: { created_at: "DESC", id: "DESC" } }
  )
  res.json({
    orders: orders.map((o) => ({
      id: o.id,
      idempotency_key: o.idempotency_key,
      order_id: o.order_id,
      display_id: o.display_id,
      currency_code: o.currency_code,
      total: o.total,
      items: o.items,
      agent_chain: o.agent_chain,
      transaction_id: o.transaction_id,
      created_at: o.created_at,
      completed_at: o.completed_at,
      bookkeeping: {
        status: o.bookkeeping_status,
        attempts: o.bookkeeping_attempts,
        error: o.bookkeeping_error,
        bookkept_at: o.bookkept_at,
        lag_seconds:
          o.bookkeeping_status === "pending" && o.completed_at ? Math.max(0, Math.round((Date.now() - new Date(o.completed_at).getTime()) / 1000)) : null,
      },
    })),
    count,
    limit,
    offset,
  })
}
