import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { createCodeCampaignWorkflow } from "../../../../workflows/campaigns"
import { campaignWithReport, campaignsWithReports } from "../../../utils/campaigns"
import type { CreateCodeCampaignBodyType } from "./validators"

/** Campaigns that give codes (营销), newest first, each with its report (issued, revealed, redeemed, budget left). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ campaigns: await campaignsWithReports(req) })
}

/** Creates a campaign: a pool, a trigger (`customer.created` or `order.placed`), a budget, an optional window. */
export const POST = async (req: AuthenticatedMedusaRequest<CreateCodeCampaignBodyType>, res: MedusaResponse) => {
  const { result } = await createCodeCampaignWorkflow(req.scope).run({ input: req.validatedBody })
  res.status(201).json({ campaign: await campaignWithReport(req, result.id) })
}
