import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { actorOf, retrieveCustomerOrder, vaultOf } from "../../../../../../../utils/card-vault"

/**
 * Reveals one code of the customer's own order: an explicit POST that returns the plaintext and records who,
 * when, IP and user agent. Codes of other orders are "not found", like missing ones.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const order = await retrieveCustomerOrder(req, req.params.id)
  const [card_code] = await vaultOf(req).revealCodes({
    code_ids: [req.params.code_id],
    order_id: order.id,
    actor: actorOf(req, "customer"),
  })
  res.setHeader("Cache-Control", "no-store")
  res.json({ card_code })
}
