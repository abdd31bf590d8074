import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { codeCampaignsModule } from "../utils/code-campaigns-module"

export type CreateCodeCampaignStepInput = {
  name: string
  pool_id: string
  trigger: "customer.created" | "order.placed"
  budget: number
  starts_at?: Date | null
  ends_at?: Date | null
  status?: "active" | "paused"
}

export const createCodeCampaignStepId = "create-code-campaign"

/** Creates the campaign. Compensation deletes it. */
export const createCodeCampaignStep = createStep(
  createCodeCampaignStepId,
  async (input: CreateCodeCampaignStepInput, { container }) => {
    const campaign = await codeCampaignsModule(container).createCodeCampaigns(input)
    return new StepResponse(campaign, campaign.id)
  },
  async (id, { container }) => {
    if (!id) return
    await codeCampaignsModule(container).deleteCodeCampaigns(id)
  }
)
