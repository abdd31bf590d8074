import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CARD_ALERT_FIELDS, queryListPage } from "../../../utils/card-vault"
import type { AdminGetCardAlertsParamsType } from "../validators"

/** Stock alerts (low stock, near expiry), newest first, filtered by status, kind and pool. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardAlertsParamsType>, res: MedusaResponse) => {
  const { limit, offset, ...filters } = req.validatedQuery as AdminGetCardAlertsParamsType
  const { rows, ...page } = await queryListPage(req, {
    entity: "card_alert",
    fields: CARD_ALERT_FIELDS,
    filters,
    order: { created_at: "DESC" },
    limit,
    offset,
  })
  res.json({ card_alerts: rows, ...page })
}
