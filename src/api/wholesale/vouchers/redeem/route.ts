import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { redeemVoucher } from "../../../utils/vouchers"
import type { RedeemVoucherBodyType } from "../../../admin/virtual-goods/vouchers/validators"
import { agentOf, requireScope } from "../../helpers"

/** A partner platform redeems a voucher (scope `vouchers:redeem`), once per `Idempotency-Key` of its key's agent. */
export const POST = async (req: MedusaRequest<RedeemVoucherBodyType>, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "vouchers:redeem")
  await redeemVoucher(req, res, { channel: "partner", actor_type: "agent", actor_id: principal.agent_id })
}
