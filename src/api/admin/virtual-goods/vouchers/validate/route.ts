import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { validateVoucher } from "../../../../utils/vouchers"
import type { VoucherCodeBodyType } from "../validators"

/** A counter checks a voucher (typed or scanned): where it stands and what was redeemed. Changes nothing. */
export const POST = async (req: AuthenticatedMedusaRequest<VoucherCodeBodyType>, res: MedusaResponse) => {
  await validateVoucher(req, res, true)
}
