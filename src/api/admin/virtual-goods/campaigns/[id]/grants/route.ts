import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { codeCampaignsModule } from "../../../../../../workflows/campaigns/utils/code-campaigns-module"
import { campaignWithReport } from "../../../../../utils/campaigns"
import { vaultOf } from "../../../../../utils/card-vault"
import type { ListCampaignGrantsParamsType } from "../../validators"

/** The codes a campaign gave: customer, when, and the code's mask and state (never the code). */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, ListCampaignGrantsParamsType>, res: MedusaResponse) => {
  await campaignWithReport(req, req.params.id)
  const { limit, offset } = req.validatedQuery
  const [grants, count] = await codeCampaignsModule(req.scope).listAndCountCodeCampaignGrants(
    { campaign_id: req.params.id },
    { select: ["id", "customer_id", "email", "code_id", "created_at"], order: { created_at: "DESC" }, take: limit, skip: offset }
  )
  const codeIds = grants.flatMap((g) => (g.code_id ? [g.code_id] : []))
  const codes = new Map(
    (codeIds.length ? await vaultOf(req).listCardCodes({ id: codeIds }, { select: ["id", "mask", "status", "revealed_at"] }) : []).map((c) => [c.id, c])
  )
  res.json({
    grants: grants.map((g) => {
      const code = g.code_id ? codes.get(g.code_id) : undefined
      return { ...g, code: code ? { id: code.id, mask: code.mask, status: code.status, revealed_at: code.revealed_at } : null }
    }),
    count,
    limit,
    offset,
  })
}
