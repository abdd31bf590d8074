import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retrieveCustomerOrder, shopperCodesOf } from "../../../../../utils/card-vault"

/**
 * The logged-in customer's codes of one of their orders, masked; a voucher of the store (核销) with where it stands
 * (`voucher`: kind, status, what is left, when it was last used).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const order = await retrieveCustomerOrder(req, req.params.id)
  res.json({ card_codes: await shopperCodesOf(req, order.id) })
}
