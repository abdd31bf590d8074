import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchOrderCodes } from "../../../../utils/card-vault"
import { withVoucherStates } from "../../../../utils/vouchers"
import type { StoreReceiptType } from "../../validators"
import { receiptForOrder } from "../utils"

/** What the checking-out browser's receipt opens for its order, masked (a voucher with where it stands), without spending a use. */
export const POST = async (req: MedusaRequest<StoreReceiptType>, res: MedusaResponse) => {
  const receipt = await receiptForOrder(req, req.validatedBody, false)
  const codes = (await fetchOrderCodes(req, req.validatedBody.order_id)).filter(
    (c) => c.status === "delivered" || c.status === "revealed"
  )
  res.setHeader("Cache-Control", "no-store")
  res.json({
    order_id: req.validatedBody.order_id,
    uses_left: receipt.uses_left,
    expires_at: receipt.expires_at.toISOString(),
    card_codes: await withVoucherStates(req.scope, codes, (c) => ({ id: c.id, status: c.status, mask: c.mask, has_password: c.has_password })),
  })
}
