import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateCodeCampaignWorkflow } from "../../../../../workflows/campaigns"
import { campaignWithReport } from "../../../../utils/campaigns"
import type { UpdateCodeCampaignBodyType } from "../validators"

/** One campaign with its report. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ campaign: await campaignWithReport(req, req.params.id) })
}

/** Pauses, resumes or changes a campaign (its budget never below the codes already given). */
export const POST = async (req: AuthenticatedMedusaRequest<UpdateCodeCampaignBodyType>, res: MedusaResponse) => {
  await campaignWithReport(req, req.params.id)
  await updateCodeCampaignWorkflow(req.scope).run({ input: { ...req.validatedBody, id: req.params.id } })
  res.json({ campaign: await campaignWithReport(req, req.params.id) })
}
