import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchOrderCodes, retrieveCustomerOrder } from "../../../../../utils/card-vault"

/** The logged-in customer's codes of one of their orders, masked. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const order = await retrieveCustomerOrder(req, req.params.id)
  const codes = await fetchOrderCodes(req, order.id)
  res.json({
    card_codes: codes
      .filter((c) => c.status === "delivered" || c.status === "revealed" || c.status === "voided")
      .map((c) => ({
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
