import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CARD_CODE_FIELDS } from "../../../utils"
import type { AdminGetCardCodesParamsType } from "../validators"

/** Masked codes, filtered by pool, batch, order or status (POST /admin/virtual-goods/codes/search finds one by its value). */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardCodesParamsType>, res: MedusaResponse) => {
  const { limit, offset, ...rest } = req.validatedQuery as AdminGetCardCodesParamsType
  const filters: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "card_code",
    fields: CARD_CODE_FIELDS,
    filters,
    pagination: { skip: offset, take: limit, order: { created_at: "DESC", id: "ASC" } } as any,
  })
  res.json({ card_codes: data, count: metadata?.count ?? data.length, offset, limit })
}
