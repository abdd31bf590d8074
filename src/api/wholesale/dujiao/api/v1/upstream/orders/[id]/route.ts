import type { MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { agentsModule } from "../../../../../../../../workflows/agents/utils/agents-module"
import { cardVaultModule } from "../../../../../../../../workflows/virtual-goods/utils/card-vault-module"
import { agentOf, codeOwnersOf, isAgentOrderHeld, requireScope } from "../../../../../../helpers"
import { dujiaoRoute, findDujiaoOrder, money2, orderFields } from "../../../../../helpers"

/**
 * One of the agent's orders by its number (`order_id`), our order id or its `downstream_order_no`, in dujiao-next's shape (scope
 * `orders:read`). Once delivered, its codes are in `fulfillment.payload`, one per line (`code` or `code password`):
 * every such answer is a reveal, audited with the agent as actor, like `POST /wholesale/orders/:id/codes`. An order
 * held for a risk review is `paid`, without fulfillment, until an admin approves it.
 */
export const GET = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  const order = await findDujiaoOrder(req.scope, principal.agent_id, req.params.id)
  const held = await isAgentOrderHeld(req.scope, order.id)
  const lines = order.items ?? []
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = lines.length
    ? await query.graph({ entity: "product_variant", fields: ["id", "product_id"], filters: { id: lines.map((l) => l.variant_id) } })
    : { data: [] }
  const productOf = new Map((variants as { id: string; product_id: string }[]).map((v) => [v.id, v.product_id]))
  const agents = agentsModule(req.scope)
  const [productNo, variantNo] = await Promise.all([
    agents.numericAliasesOf("product", [...productOf.values()]),
    agents.numericAliasesOf("variant", lines.map((l) => l.variant_id)),
  ])
  const items = lines.map((l) => ({
    product_id: productNo.get(productOf.get(l.variant_id) ?? "") ?? null,
    sku_id: variantNo.get(l.variant_id) ?? null,
    title: { "zh-CN": l.product_title ?? l.title, "en-US": l.product_title ?? l.title },
    quantity: l.quantity,
    original_unit_price: money2(l.unit_price),
    unit_price: money2(l.unit_price),
    original_total_price: money2(MathBN.mult(l.unit_price, l.quantity).toFixed()),
    total_price: money2(MathBN.mult(l.unit_price, l.quantity).toFixed()),
    fulfillment_type: "auto",
  }))
  const base = { ok: true, ...(await orderFields(req.scope, order, held)), refunded_amount: "0.00", refund_records: [], items }
  res.setHeader("Cache-Control", "no-store")
  if (held) return void res.json(base)
  // Revealed on purpose, in one audited statement, with the agent as actor.
  const revealed = await cardVaultModule(req.scope).revealOwnerCodes({
    owner_ids: codeOwnersOf(order),
    actor: { type: "agent", id: principal.agent_id, ip: req.ip ?? null },
    reason: `wholesale order ${order.id} (dujiao-next)`,
  })
  const payload = revealed.map((c) => (c.password ? `${c.code} ${c.password}` : c.code)).join("\n")
  res.json({
    ...base,
    fulfillment: { type: "auto", status: "delivered", payload, delivery_data: null, delivered_at: new Date(order.completed_at ?? order.created_at).toISOString() },
  })
})

