import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { codeCampaignsModule } from "../../../../workflows/campaigns/utils/code-campaigns-module"
import { shopperCodesByOwner } from "../../../utils/card-vault"

/**
 * The codes campaigns gave the logged-in customer (营销: e.g. for registering), newest first, masked; a voucher of the
 * store with where it stands. Revealed one at a time through `POST …/gifts/:id/codes/:code_id/reveal`.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const campaigns = codeCampaignsModule(req.scope)
  const grants = await campaigns.listCodeCampaignGrants(
    { customer_id: req.auth_context.actor_id },
    { select: ["id", "campaign_id", "created_at"], order: { created_at: "DESC" }, take: 100 }
  )
  const names = new Map(
    (grants.length ? await campaigns.listCodeCampaigns({ id: [...new Set(grants.map((g) => g.campaign_id))] }, { select: ["id", "name"], withDeleted: true }) : []).map((c) => [
      c.id,
      c.name,
    ])
  )
  // A gift's codes are owned by its grant: shown like an order's (no line), all read at once.
  const codes = await shopperCodesByOwner(req, grants.map((g) => g.id))
  const gifts = grants.map((grant) => ({
    id: grant.id,
    campaign_id: grant.campaign_id,
    campaign_name: names.get(grant.campaign_id) ?? null,
    created_at: grant.created_at,
    card_codes: (codes.get(grant.id) ?? []).map(({ line_item_id: _line, ...code }) => code),
  }))
  res.json({ gifts })
}
