import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { codeCampaignsModule } from "../utils/code-campaigns-module"

export type GiveCampaignCodeStepInput = { campaign_id: string; grant_id: string; pool_id: string }

export const giveCampaignCodeStepId = "give-campaign-code"

/** The vault's reservation key of a grant's code. */
export const campaignReservationKey = (grantId: string) => `campaign:${grantId}`

/**
 * Takes one code of the campaign's pool and delivers it to the grant (the vault's claim for an owner: conditional,
 * `FOR UPDATE SKIP LOCKED`; an empty pool is a NOT_ALLOWED "Out of stock: …"), and records its id on the grant.
 * Compensation sends the code back to stock (it was never shown).
 */
export const giveCampaignCodeStep = createStep(
  giveCampaignCodeStepId,
  async (input: GiveCampaignCodeStepInput, { container }) => {
    const { code_ids } = await cardVaultModule(container).claimForOwner({
      key: campaignReservationKey(input.grant_id),
      owner_id: input.grant_id,
      items: [{ pool_id: input.pool_id, quantity: 1 }],
      hold: false,
      actor: { type: "system", id: input.campaign_id },
    })
    await codeCampaignsModule(container).attachGrantCode({ grant_id: input.grant_id, code_id: code_ids[0] })
    return new StepResponse({ code_id: code_ids[0] }, input.grant_id)
  },
  async (grantId, { container }) => {
    if (!grantId) return
    await cardVaultModule(container).returnOrderCodes({ order_id: grantId, reason: "campaign grant failed" })
  }
)
