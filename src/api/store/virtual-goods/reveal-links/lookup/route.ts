import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchOrderCodes, vaultOf } from "../../../../utils/card-vault"
import { withVoucherStates } from "../../../../utils/vouchers"
import type { StoreRevealLinkTokenType } from "../../validators"

/**
 * What a guest link opens, masked (a voucher with where it stands), without spending a use. The token travels in the body, not the URL, so it
 * stays out of access logs. Unknown, expired and used-up tokens give the same 404.
 */
export const POST = async (req: MedusaRequest<StoreRevealLinkTokenType>, res: MedusaResponse) => {
  const link = await vaultOf(req).resolveRevealLink({ token: req.validatedBody.token, consume: false })
  const codes = (await fetchOrderCodes(req, link.order_id)).filter(
    (c) => c.status === "delivered" || c.status === "revealed"
  )
  res.setHeader("Cache-Control", "no-store")
  res.json({
    order_id: link.order_id,
    uses_left: link.uses_left,
    expires_at: link.expires_at.toISOString(),
    card_codes: await withVoucherStates(req.scope, codes, (c) => ({ id: c.id, status: c.status, mask: c.mask, has_password: c.has_password })),
  })
}
