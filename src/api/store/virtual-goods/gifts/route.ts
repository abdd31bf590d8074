import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { codeCampaignsModule } from "../../../../workflows/campaigns/utils/code-campaigns-module"
import { fetchOrderCodes } from "../../../utils/card-vault"
import { withVoucherStates } from "../../../utils/vouchers"

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
  const gifts = []
  for (const grant of grants) {
    const codes = (await fetchOrderCodes(req, grant.id)).filter((c) => c.status === "delivered" || c.status === "revealed" || c.status === "voided")
    gifts.push({
      id: grant.id,
      campaign_id: grant.campaign_id,
      campaign_name: names.get(grant.campaign_id) ?? null,
      created_at: grant.created_at,
      card_codes: await withVoucherStates(req.scope, codes, (c) => ({
        id: c.id,
        status: c.status,
        mask: c.mask,
        has_password: c.has_password,
        expires_at: c.expires_at,
        delivered_at: c.delivered_at,
        revealed_at: c.revealed_at,
      })),
    })
  }
  res.json({ gifts })
}
