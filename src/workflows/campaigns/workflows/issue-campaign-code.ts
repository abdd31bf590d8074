import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep, useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { CampaignEvents } from "../../../utils/events"
import { claimCampaignGrantStep, giveCampaignCodeStep, sendCampaignGiftStep } from "../steps"

export type IssueCampaignCodeWorkflowInput = { campaign_id: string; customer_id: string; email?: string | null; locale?: string | null }

export type IssueCampaignCodeWorkflowOutput = { granted: boolean; reason: string | null; grant_id: string | null; code_id: string | null }

export const issueCampaignCodeWorkflowId = "issue-campaign-code"

type CampaignRow = { id: string; name: string }

/**
 * Gives a customer a campaign's code: the grant first (once per customer, within the budget, while the campaign runs —
 * otherwise it answers why not and changes nothing), then one code of the campaign's pool delivered to the grant, then
 * the customer told by email with a guest link, then `CampaignEvents.CODE_GIVEN`. An empty pool fails the run: the
 * grant is removed and the budget given back.
 *
 * @example
 * await issueCampaignCodeWorkflow(container).run({ input: { campaign_id: "ccamp_123", customer_id: "cus_123", email: "a@b.c" } })
 *
 * @summary Give a customer a campaign's code.
 */
export const issueCampaignCodeWorkflow = createWorkflow(issueCampaignCodeWorkflowId, (input: IssueCampaignCodeWorkflowInput) => {
  const claim = claimCampaignGrantStep(
    transform({ input }, ({ input }) => ({ campaign_id: input.campaign_id, customer_id: input.customer_id, email: input.email ?? null }))
  )
  const given = when("give-campaign-code", { claim }, ({ claim }) => claim.granted).then(() => {
    const code = giveCampaignCodeStep(
      transform({ claim, input }, ({ claim, input }) => ({
        campaign_id: input.campaign_id,
        grant_id: claim.granted ? claim.grant_id : "",
        pool_id: claim.granted ? claim.pool_id : "",
      }))
    )
    const { data: campaigns } = useQueryGraphStep({
      entity: "code_campaign",
      fields: ["id", "name"],
      filters: transform({ input }, ({ input }) => ({ id: input.campaign_id })),
    }).config({ name: "campaign-of-grant" })
    sendCampaignGiftStep(
      transform({ claim, input, campaigns }, ({ claim, input, campaigns }) => ({
        campaign_id: input.campaign_id,
        campaign_name: (campaigns as CampaignRow[])[0]?.name ?? "",
        grant_id: claim.granted ? claim.grant_id : "",
        email: input.email ?? null,
        locale: input.locale ?? null,
      }))
    )
    emitEventStep({
      eventName: CampaignEvents.CODE_GIVEN,
      data: transform({ claim, input, code }, ({ claim, input, code }) => ({
        campaign_id: input.campaign_id,
        grant_id: claim.granted ? claim.grant_id : null,
        customer_id: input.customer_id,
        code_id: code.code_id,
      })),
    })
    return code
  })
  return new WorkflowResponse(
    transform({ claim, given }, ({ claim, given }): IssueCampaignCodeWorkflowOutput => ({
      granted: claim.granted,
      reason: claim.granted ? null : claim.reason,
      grant_id: claim.granted ? claim.grant_id : null,
      code_id: given?.code_id ?? null,
    }))
  )
})
