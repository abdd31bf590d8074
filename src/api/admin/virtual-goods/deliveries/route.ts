import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { queryListPage } from "../../../utils/card-vault"
import type { AdminGetCardDeliveriesParamsType } from "../validators"

/** Delivery state per order; `?status=held` lists orders that are paid but could not be delivered yet. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardDeliveriesParamsType>, res: MedusaResponse) => {
  const { limit, offset, ...filters } = req.validatedQuery as AdminGetCardDeliveriesParamsType
  const { rows, ...page } = await queryListPage(req, {
    entity: "card_delivery",
    fields: ["id", "order_id", "status", "attempts", "last_error", "delivered_at", "created_at", "updated_at"],
    filters,
    order: { updated_at: "DESC" },
    limit,
    offset,
  })
  res.json({ card_deliveries: rows, ...page })
}
