import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { AgentOrderItem } from "../../../modules/agents/types"
import { MedusaError } from "@medusajs/framework/utils"
import { riskModule } from "../../../workflows/risk/utils/risk-module"
import { placeAgentOrderWorkflow } from "../../../workflows/agents"
import { agentsModule } from "../../../workflows/agents/utils/agents-module"
import { clientIp } from "../../utils/rate-limit"
import { findAgentOrder } from "../../../workflows/agents/steps/answer-agent-order"
import { suppliersModule } from "../../../workflows/suppliers/utils/suppliers-module"
import { agentOf, agentOrderResponse, sealWholesaleRecipients, topUpsOfAgentOrder, wholesaleRequestHash, codeOwnersOf, isAgentOrderHeld, requireScope, retrieveAgentOrder, revealedOrderCodes } from "../helpers"
import type { WholesaleCreateOrderType, WholesaleListOrdersParamsType } from "../validators"
import { cardVaultModule } from "../../../workflows/virtual-goods/utils/card-vault-module"

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/**
 * Places a wholesale order (scope `orders:write`), exactly once per `Idempotency-Key`, answered after one database
 * transaction: 201 with the order and its codes (held for review: none yet); its Medusa order (`order_id`) is recorded
 * shortly after by the worker (`bookkeeping_status` pending → done). The same key and body again → the same order and
 * codes (header `Idempotent-Replayed: true`), fetched again and audited — a duplicate sent while the first is in its
 * transaction waits for it and gets the same; the same key with another body → 422.
 */
export const POST = async (req: MedusaRequest<WholesaleCreateOrderType>, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:write")
  const key = req.get("idempotency-key")
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "The Idempotency-Key header is required: 1 to 255 printable ASCII characters, unique per order")
  }
  const body = req.validatedBody
  const suppliers = suppliersModule(req.scope)
  const request_hash = wholesaleRequestHash(
    body.items.map((i) => ({ ...i, recipient_fingerprint: i.recipient ? suppliers.recipientFingerprint(i.recipient) : null }))
  )
  // Top-ups' recipients are sealed before the workflow (it sees ids only), unless this is a replay. An order of codes
  // only skips both reads (a top-up line without its recipient is refused by the workflow's own checks).
  const withRecipients = body.items.some((i) => i.recipient !== undefined)
  const replay = withRecipients && !!(await findAgentOrder(req.scope, { agent_id: principal.agent_id, idempotency_key: key, request_hash }))
  const sealed = withRecipients && !replay
    ? await sealWholesaleRecipients(req.scope, principal.agent_id, body.items)
    : { items: body.items.map(({ variant_id, quantity }) => ({ variant_id, quantity })), recipient_ids: [] as string[] }
  const { result } = await placeAgentOrderWorkflow(req.scope)
    .run({ input: { agent_id: principal.agent_id, idempotency_key: key, request_hash, items: sealed.items, ip: clientIp(req) } })
    .catch(async (e: unknown) => {
      if (sealed.recipient_ids.length) await suppliers.deleteSupplierRecipients(sealed.recipient_ids)
      throw e
    })
  // A duplicate that raced the first request (seen as new above) replays it: what it sealed is not needed.
  if (result.replayed && sealed.recipient_ids.length) await suppliers.deleteSupplierRecipients(sealed.recipient_ids)
  // A new order is answered as the transaction recorded it; a replay reads it again.
  const order = result.order ?? (await retrieveAgentOrder(req.scope, { id: result.agent_order_id, agent_id: principal.agent_id }))
  // The answer carries the codes: revealed on purpose here, in one audited statement, with the agent as actor.
  const revealed = await cardVaultModule(req.scope).revealOwnerCodes({
    owner_ids: codeOwnersOf(order),
    actor: { type: "agent", id: principal.agent_id, ip: req.ip ?? null },
    reason: `wholesale order ${order.id}`,
  })
  const held = result.order ? result.held : await isAgentOrderHeld(req.scope, order.id)
  if (result.replayed) res.setHeader("Idempotent-Replayed", "true")
  res.setHeader("Cache-Control", "no-store")
  res.status(201).json(agentOrderResponse(order, revealedOrderCodes(revealed), held, await topUpsOfAgentOrder(req.scope, order)))
}

/**
 * The agent's own orders, newest first, without codes (scope `orders:read`); `idempotency_key` finds the order placed
 * with that key (none: an empty list). Each order shows its key and whether it is held for review.
 */
export const GET = async (req: MedusaRequest<unknown, WholesaleListOrdersParamsType>, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  const { limit, offset, idempotency_key } = req.validatedQuery as WholesaleListOrdersParamsType
  const [orders, count] = await agentsModule(req.scope).listAndCountAgentOrders(
    { agent_id: principal.agent_id, status: "completed", ...(idempotency_key !== undefined ? { idempotency_key } : {}) },
    { take: limit, skip: offset, order: { created_at: "DESC", id: "DESC" } }
  )
  const held = await heldAgentOrders(req.scope, orders.map((o) => o.id))
  res.json({
    orders: orders.map((o) => ({
      id: o.id,
      idempotency_key: o.idempotency_key,
      order_id: o.order_id,
      display_id: o.display_id,
      status: o.status,
      held_for_review: held.has(o.id),
      bookkeeping_status: o.bookkeeping_status,
      currency_code: o.currency_code,
      total: o.total,
      // Each line without the chain's prices (the agent sees its own price only).
      items: ((o.items as AgentOrderItem[] | null) ?? []).map(({ unit_prices: _chainPrices, ...item }) => item),
      created_at: o.created_at,
      completed_at: o.completed_at,
    })),
    count,
    limit,
    offset,
  })
}

/** Which of these agent orders the risk rules hold for review (not approved yet), in one read. */
async function heldAgentOrders(scope: MedusaContainer, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set()
  const decisions = await riskModule(scope).listRiskDecisions(
    { subject_type: "agent_order", subject_id: ids, action: "review" },
    { select: ["id", "subject_id", "review_status"] }
  )
  // Held until approved, as the risk module's holdOf decides (a rejected order stays held: its codes never come).
  return new Set(decisions.filter((d) => d.review_status !== "approved").map((d) => d.subject_id))
}
