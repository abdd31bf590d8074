import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { withdrawSharedCodeWorkflow } from "../../../../../../../../workflows/shared-codes/workflows/withdraw-shared-code"
import { actorOf, fetchCardPool, vaultOf } from "../../../../../../../utils/card-vault"
import type { WithdrawSharedCodeBodyType } from "../../../../../shared-codes/validators"

/**
 * Withdraws a shared code: no further sale (its unsold copies are voided) and every order holding a sold copy is
 * mailed. Answers the shared code afterwards and what the withdrawal did. 404 for a code of another pool, 400 when it
 * is already withdrawn.
 */
export const POST = async (req: AuthenticatedMedusaRequest<WithdrawSharedCodeBodyType>, res: MedusaResponse) => {
  await fetchCardPool(req, req.params.id)
  const { result } = await withdrawSharedCodeWorkflow(req.scope).run({
    input: {
      pool_id: req.params.id,
      shared_code_id: req.params.shared_id,
      reason: req.validatedBody.reason,
      actor: actorOf(req, "user"),
    },
  })
  const { shared_codes } = await vaultOf(req).listSharedCodes({ pool_id: req.params.id, ids: [req.params.shared_id], limit: 1 })
  res.json({
    shared_code: shared_codes[0] ?? null,
    voided: result.voided,
    holders: result.holders,
    notified: result.notified,
  })
}
