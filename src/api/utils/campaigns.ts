import type { MedusaRequest } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { codeCampaignsModule } from "../../workflows/campaigns/utils/code-campaigns-module"
import { redemptionModule } from "../../workflows/redemption/utils/redemption-module"
import { vaultOf } from "./card-vault"

const CAMPAIGN_FIELDS = ["id", "name", "pool_id", "trigger", "status", "budget", "issued", "starts_at", "ends_at", "created_at", "updated_at"] as const

/** A campaign's report: codes given, revealed by their customers, redeemed (vouchers), and budget left. */
export type CampaignReport = { issued: number; revealed: number; redeemed: number; remaining_budget: number }

/** What the reports count of the codes a campaign gave. */
async function reportsOf(req: MedusaRequest, campaigns: { id: string; budget: number; issued: number }[]): Promise<Map<string, CampaignReport>> {
  const grants = campaigns.length
    ? await codeCampaignsModule(req.scope).listCodeCampaignGrants({ campaign_id: campaigns.map((c) => c.id) }, { select: ["campaign_id", "code_id"] })
    : []
  const codeIds = grants.flatMap((g) => (g.code_id ? [g.code_id] : []))
  const codes = codeIds.length ? await vaultOf(req).listCardCodes({ id: codeIds }, { select: ["id", "pool_id", "revealed_at"] }) : []
  const states = await redemptionModule(req.scope).voucherStates(codes.map((c) => ({ code_id: c.id, pool_id: c.pool_id })))
  const revealed = new Set(codes.filter((c) => !!c.revealed_at).map((c) => c.id))
  const redeemed = new Set(states.filter((s) => s.redeemed_count > 0).map((s) => s.code_id))
  return new Map(
    campaigns.map((c) => {
      const mine = grants.filter((g) => g.campaign_id === c.id && g.code_id)
      return [
        c.id,
        {
          issued: c.issued,
          revealed: mine.filter((g) => revealed.has(g.code_id!)).length,
          redeemed: mine.filter((g) => redeemed.has(g.code_id!)).length,
          remaining_budget: Math.max(c.budget - c.issued, 0),
        },
      ]
    })
  )
}

/** Campaigns (all, or by id) with their reports, newest first. */
export async function campaignsWithReports(req: MedusaRequest, ids?: string[]) {
  const campaigns = await codeCampaignsModule(req.scope).listCodeCampaigns(ids ? { id: ids } : {}, { select: [...CAMPAIGN_FIELDS], order: { created_at: "DESC" } })
  const reports = await reportsOf(req, campaigns)
  return campaigns.map((c) => ({ ...c, report: reports.get(c.id)! }))
}

/** One campaign with its report; a 404 when there is none. */
export async function campaignWithReport(req: MedusaRequest, id: string) {
  const [campaign] = await campaignsWithReports(req, [id])
  if (!campaign) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Campaign with id: ${id} was not found`)
  return campaign
}
