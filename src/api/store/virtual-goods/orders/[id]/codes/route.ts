import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchOrderCodes, retrieveCustomerOrder } from "../../../../../utils/card-vault"
import { withVoucherStates } from "../../../../../utils/vouchers"

/**
 * The logged-in customer's codes of one of their orders, masked; a voucher of the store (核销) with where it stands
 * (`voucher`: kind, status, what is left, when it was last used).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const order = await retrieveCustomerOrder(req, req.params.id)
  const codes = (await fetchOrderCodes(req, order.id)).filter((c) => c.status === "delivered" || c.status === "revealed" || c.status === "voided")
  res.json({
    card_codes: await withVoucherStates(req.scope, codes, (c) => ({
      id: c.id,
      line_item_id: c.line_item_id,
      status: c.status,
      mask: c.mask,
      has_password: c.has_password,
      expires_at: c.expires_at,
      delivered_at: c.delivered_at,
      revealed_at: c.revealed_at,
    })),
  })
}
