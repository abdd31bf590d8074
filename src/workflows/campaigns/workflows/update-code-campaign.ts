import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateCodeCampaignStep, type UpdateCodeCampaignStepInput } from "../steps"

export type UpdateCodeCampaignWorkflowInput = UpdateCodeCampaignStepInput

export const updateCodeCampaignWorkflowId = "update-code-campaign"

/**
 * Pauses, resumes or changes a campaign (name, budget, window); the budget never below what was already given.
 *
 * @example
 * await updateCodeCampaignWorkflow(container).run({ input: { id: "ccamp_123", status: "paused" } })
 *
 * @summary Change a campaign.
 */
export const updateCodeCampaignWorkflow = createWorkflow(updateCodeCampaignWorkflowId, (input: UpdateCodeCampaignWorkflowInput) => {
  return new WorkflowResponse(updateCodeCampaignStep(input))
})
