import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { rollbackRedemption } from "../../../../../utils/vouchers"
import type { RollbackRedemptionBodyType } from "../../../vouchers/validators"

/** Gives a redemption back within its program's window, with a reason (any counter's redemption, or a partner's). */
export const POST = async (req: AuthenticatedMedusaRequest<RollbackRedemptionBodyType>, res: MedusaResponse) => {
  await rollbackRedemption(req, res, { channel: "counter", actor_type: "user", actor_id: req.auth_context.actor_id }, false)
}
