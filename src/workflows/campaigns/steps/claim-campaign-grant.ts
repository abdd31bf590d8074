import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { GrantClaim } from "../../../modules/code-campaigns/service"
import { codeCampaignsModule } from "../utils/code-campaigns-module"

export type ClaimCampaignGrantStepInput = { campaign_id: string; customer_id: string; email?: string | null }

export const claimCampaignGrantStepId = "claim-campaign-grant"

/**
 * Claims the customer's grant of a campaign: once per customer (unique index) and within the budget (a conditional
 * UPDATE). Answers why not otherwise (`already_granted`, `budget_spent`, `not_running`). Compensation gives the budget
 * back and removes the grant.
 */
export const claimCampaignGrantStep = createStep(
  claimCampaignGrantStepId,
  async (input: ClaimCampaignGrantStepInput, { container }) => {
    const claim = await codeCampaignsModule(container).claimGrant(input)
    return new StepResponse<GrantClaim, string | null>(claim, claim.granted ? claim.grant_id : null)
  },
  async (grantId, { container }) => {
    if (!grantId) return
    await codeCampaignsModule(container).releaseGrant({ grant_id: grantId })
  }
)
