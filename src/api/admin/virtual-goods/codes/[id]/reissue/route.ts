import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { reissueCardCodeWorkflow } from "../../../../../../workflows/virtual-goods/workflows/reissue-card-code"
import { actorOf, CARD_CODE_FIELDS, type CardCodeRow } from "../../../../../utils/card-vault"
import type { AdminReissueCardCodeType } from "../../../validators"

/**
 * Void & reissue: `{ reason }` (required). The code is voided as invalid (counted against its batch) and a fresh code
 * from the same pool is delivered to the same order, which is notified again. Answers both codes, masked.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminReissueCardCodeType>, res: MedusaResponse) => {
  const { result } = await reissueCardCodeWorkflow(req.scope).run({
    input: { code_id: req.params.id, reason: req.validatedBody.reason, actor: actorOf(req, "user") },
  })
  const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "card_code",
    fields: CARD_CODE_FIELDS,
    filters: { id: [result.voided_code_id, result.code_id] },
  })
  const codes = data as CardCodeRow[]
  res.json({
    card_code: codes.find((c) => c.id === result.code_id),
    voided_card_code: codes.find((c) => c.id === result.voided_code_id),
  })
}
