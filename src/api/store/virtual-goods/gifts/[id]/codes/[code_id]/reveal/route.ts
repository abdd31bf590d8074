import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { codeCampaignsModule } from "../../../../../../../../workflows/campaigns/utils/code-campaigns-module"
import { actorOf, vaultOf } from "../../../../../../../utils/card-vault"

/**
 * Reveals a code a campaign gave the logged-in customer: an explicit POST that returns the plaintext and records who,
 * when, IP and user agent. Another customer's gift, or a code that is not this gift's, is "not found", like a missing one.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const [grant] = await codeCampaignsModule(req.scope).listCodeCampaignGrants({ id: req.params.id, customer_id: req.auth_context.actor_id }, { select: ["id"] })
  if (!grant) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Gift with id: ${req.params.id} was not found`)
  const [card_code] = await vaultOf(req).revealCodes({ code_ids: [req.params.code_id], order_id: grant.id, actor: actorOf(req, "customer") })
  res.setHeader("Cache-Control", "no-store")
  res.json({ card_code })
}
