import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { isCounterAccount } from "../../../../../utils/counter-accounts"
import { rollbackRedemption } from "../../../../../utils/vouchers"
import type { RollbackRedemptionBodyType } from "../../../vouchers/validators"

/**
 * Gives a redemption back within its program's window, with a reason: an admin any counter's or partner's, a counter
 * account only its own (another's is the same 404 as none).
 */
export const POST = async (req: AuthenticatedMedusaRequest<RollbackRedemptionBodyType>, res: MedusaResponse) => {
  const userId = req.auth_context.actor_id
  await rollbackRedemption(req, res, { channel: "counter", actor_type: "user", actor_id: userId }, await isCounterAccount(req.scope, userId))
}
