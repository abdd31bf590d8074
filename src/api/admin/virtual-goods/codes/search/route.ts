import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CARD_CODE_FIELDS, vaultOf } from "../../../../utils"
import type { AdminSearchCardCodesType } from "../../validators"

/**
 * Finds a code by its full value (trimmed) through the blind index, optionally within one pool: `{ card_codes }`,
 * masked, empty when nothing matches. The value comes in the body, never in a URL.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSearchCardCodesType>, res: MedusaResponse) => {
  const { code, pool_id } = req.validatedBody
  const filters: Record<string, unknown> = { blind_index: vaultOf(req).blindIndexOf(code) }
  if (pool_id) filters.pool_id = pool_id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "card_code", fields: CARD_CODE_FIELDS, filters })
  res.json({ card_codes: data })
}
