import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { redemptionModule } from "../../../../workflows/redemption/utils/redemption-module"
import { redemptionView } from "../../../utils/vouchers"
import type { ListVoucherRedemptionsParamsType } from "../vouchers/validators"

/** The voucher ledger, newest first: `?pool_id=&code_id=&channel=&limit=&offset=`. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, ListVoucherRedemptionsParamsType>, res: MedusaResponse) => {
  const { limit, offset, ...filters } = req.validatedQuery
  const { rows, count } = await redemptionModule(req.scope).listRedemptions(filters, { limit, offset })
  res.json({ voucher_redemptions: rows.map((r) => ({ ...redemptionView(r), code_id: r.code_id, pool_id: r.pool_id })), count, limit, offset })
}
