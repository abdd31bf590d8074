import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { validateVoucher } from "../../../utils/vouchers"
import type { VoucherCodeBodyType } from "../../../admin/virtual-goods/vouchers/validators"
import { agentOf, requireScope } from "../../helpers"

/**
 * A partner platform checks a voucher of this store (scope `vouchers:redeem`): where it stands, changing nothing.
 * Unknown, unsold and foreign codes all answer the same 404; they count against the surface's failure budget.
 */
export const POST = async (req: MedusaRequest<VoucherCodeBodyType>, res: MedusaResponse) => {
  requireScope(agentOf(req), "vouchers:redeem")
  await validateVoucher(req, res, false)
}
