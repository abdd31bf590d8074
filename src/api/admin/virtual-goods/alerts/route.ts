import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CARD_ALERT_FIELDS } from "../../../utils"
import type { AdminGetCardAlertsParamsType } from "../validators"

/** Stock alerts (low stock, near expiry), newest first, filtered by status, kind and pool. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardAlertsParamsType>, res: MedusaResponse) => {
  const { limit, offset, ...rest } = req.validatedQuery as AdminGetCardAlertsParamsType
  const filters = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
  const { data, metadata } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "card_alert",
    fields: CARD_ALERT_FIELDS,
    filters,
    pagination: { skip: offset, take: limit, order: { created_at: "DESC" } },
  })
  res.json({ card_alerts: data, count: metadata?.count ?? data.length, offset, limit })
}
