import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { fetchOrderCodes } from "../../../../../utils/card-vault"

/** An order's codes (masked), its delivery state and its reveal history. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const orderId = req.params.id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({ entity: "order", fields: ["id"], filters: { id: orderId } })
  if (!orders.length) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  const [codes, deliveries, reveals] = await Promise.all([
    fetchOrderCodes(req, orderId),
    query.graph({
      entity: "card_delivery",
      fields: ["id", "status", "attempts", "last_error", "delivered_at", "updated_at"],
      filters: { order_id: orderId },
    }),
    query.graph({
      entity: "card_audit_log",
      fields: ["id", "action", "actor_type", "actor_id", "ip", "user_agent", "reason", "code_ids", "created_at"],
      filters: { order_id: orderId, action: "reveal" },
      pagination: { order: { created_at: "ASC" } },
    }),
  ])
  res.json({ card_codes: codes, delivery: deliveries.data[0] ?? null, reveals: reveals.data })
}
