import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { codeCampaignsModule } from "../utils/code-campaigns-module"

export type UpdateCodeCampaignStepInput = {
  id: string
  name?: string
  status?: "active" | "paused"
  budget?: number
  starts_at?: Date | null
  ends_at?: Date | null
}

export const updateCodeCampaignStepId = "update-code-campaign"

/**
 * Changes a campaign's name, status, budget or window. A budget below what was already given is refused (naming the
 * field). Compensation restores what was changed.
 */
export const updateCodeCampaignStep = createStep(
  updateCodeCampaignStepId,
  async (input: UpdateCodeCampaignStepInput, { container }) => {
    const service = codeCampaignsModule(container)
    const before = await service.retrieveCodeCampaign(input.id)
    if (input.budget !== undefined && input.budget < before.issued) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `budget: ${before.issued} codes were already given; the budget cannot be lower`)
    }
    const { id, ...update } = input
    const campaign = await service.updateCodeCampaigns({ id, ...update })
    return new StepResponse(campaign, {
      id,
      name: before.name,
      status: before.status,
      budget: before.budget,
      starts_at: before.starts_at,
      ends_at: before.ends_at,
    })
  },
  async (before, { container }) => {
    if (!before) return
    await codeCampaignsModule(container).updateCodeCampaigns(before)
  }
)
