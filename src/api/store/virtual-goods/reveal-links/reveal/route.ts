import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { actorOf, vaultOf } from "../../../../utils/card-vault"
import type { StoreRevealLinkTokenType } from "../../validators"

/**
 * Reveals the codes of a guest link's order and spends one of the link's uses. Each reveal is audited with the
 * link id, IP and user agent.
 */
export const POST = async (req: MedusaRequest<StoreRevealLinkTokenType>, res: MedusaResponse) => {
  const vault = vaultOf(req)
  const link = await vault.resolveRevealLink({ token: req.validatedBody.token, consume: true })
  const card_codes = await vault.revealCodes({
    order_id: link.order_id,
    actor: actorOf(req, "guest_link", link.link_id),
  })
  res.setHeader("Cache-Control", "no-store")
  res.json({ order_id: link.order_id, uses_left: link.uses_left, card_codes })
}
