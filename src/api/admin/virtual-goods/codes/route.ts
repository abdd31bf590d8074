import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CARD_CODE_FIELDS, queryListPage } from "../../../utils/card-vault"
import type { AdminGetCardCodesParamsType } from "../validators"

/** Masked codes, filtered by pool, batch, order or status (POST /admin/virtual-goods/codes/search finds one by its value). */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardCodesParamsType>, res: MedusaResponse) => {
  const { limit, offset, ...filters } = req.validatedQuery as AdminGetCardCodesParamsType
  const { rows, ...page } = await queryListPage(req, {
    entity: "card_code",
    fields: CARD_CODE_FIELDS,
    filters,
    order: { created_at: "DESC", id: "ASC" },
    limit,
    offset,
  })
  res.json({ card_codes: rows, ...page })
}
