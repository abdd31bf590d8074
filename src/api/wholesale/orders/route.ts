import type { AuthenticatedMedusaRequest, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { createHash } from "crypto"
import { MedusaError } from "@medusajs/framework/utils"
import { placeAgentOrderWorkflow } from "../../../workflows/agents/wholesale"
import { AGENTS_MODULE } from "../../../modules/agents"
import type AgentsModuleService from "../../../modules/agents/service"
import { agentOf, agentOrderBody, requireScope } from "../../agent-utils"
import { clientIp } from "../../rate-limit"
import type { WholesaleCreateOrderType, WholesaleListOrdersParamsType } from "../validators"

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/**
 * Places a wholesale order (scope `orders:write`), exactly once per `Idempotency-Key`, answered after one database
 * transaction: 201 with the order and its codes (held for review: none yet); its Medusa order (`order_id`) is recorded
 * shortly after by the worker (`bookkeeping_status` pending → done). The same key and body again → the same order and
 * codes (header `Idempotent-Replayed: true`), fetched again and audited — a duplicate sent while the first is in its
 * transaction waits for it and gets the same; the same key with another body → 422.
 */
export const POST = async (req: AuthenticatedMedusaRequest<WholesaleCreateOrderType>, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:write")
  const key = req.get("idempotency-key")
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "The Idempotency-Key header is required: 1 to 255 printable ASCII characters, unique per order")
  }
  const body = req.validatedBody
  const request_hash = createHash("sha256")
    .update(JSON.stringify({ items: body.items.map((i) => ({ variant_id: i.variant_id, quantity: i.quantity })) }))
    .digest("hex")
  const { result } = await placeAgentOrderWorkflow(req.scope).run({
    input: { agent_id: principal.agent_id, idempotency_key: key, request_hash, items: body.items, ip: clientIp(req as any) },
  })
  if (result.replayed) res.setHeader("Idempotent-Replayed", "true")
  res.setHeader("Cache-Control", "no-store")
  // A new order is answered as the transaction recorded it; a replay reads it again.
  const known = result.order ? { order: result.order, held: result.held } : undefined
  res.status(201).json(await agentOrderBody(req, result.agent_order_id, { reveal: true, known }))
}

/** The agent's own orders, newest first, without codes (scope `orders:read`). */
export const GET = async (req: MedusaRequest<unknown, WholesaleListOrdersParamsType>, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  const { limit, offset } = req.validatedQuery as WholesaleListOrdersParamsType
  const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
  const [orders, count] = await agents.listAndCountAgentOrders(
    { agent_id: principal.agent_id, status: "completed" },
    { take: limit, skip: offset, order: { created_at: "DESC", id: "DESC" } }
  )
  res.json({
    orders: orders.map((o: any) => ({
      id: o.id,
      order_id: o.order_id,
      display_id: o.display_id,
      status: o.status,
      bookkeeping_status: o.bookkeeping_status,
      currency_code: o.currency_code,
      total: o.total,
      items: o.items,
      created_at: o.created_at,
      completed_at: o.completed_at,
    })),
    count,
    limit,
    offset,
  })
}
