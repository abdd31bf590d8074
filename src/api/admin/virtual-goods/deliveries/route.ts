import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminGetCardDeliveriesParamsType } from "../validators"

/** Delivery state per order; `?status=held` lists orders that are paid but could not be delivered yet. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardDeliveriesParamsType>, res: MedusaResponse) => {
  const { limit, offset, status } = req.validatedQuery as AdminGetCardDeliveriesParamsType
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "card_delivery",
    fields: ["id", "order_id", "status", "attempts", "last_error", "delivered_at", "created_at", "updated_at"],
    filters: status ? { status } : {},
    pagination: { skip: offset, take: limit, order: { updated_at: "DESC" } },
  })
  res.json({ card_deliveries: data, count: metadata?.count ?? data.length, offset, limit })
}
