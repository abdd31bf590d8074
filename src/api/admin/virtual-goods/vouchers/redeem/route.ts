import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { redeemVoucher } from "../../../../utils/vouchers"
import type { RedeemVoucherBodyType } from "../validators"

/** A counter redeems a voucher (a use, or `amount` of a stored value), once per `Idempotency-Key`. */
export const POST = async (req: AuthenticatedMedusaRequest<RedeemVoucherBodyType>, res: MedusaResponse) => {
  await redeemVoucher(req, res, { channel: "counter", actor_type: "user", actor_id: req.auth_context.actor_id })
}
