import { MedusaService } from "@medusajs/framework/utils"
import { CodeCampaign, CodeCampaignGrant } from "./models"
import type CampaignGrantsService from "./services/campaign-grants"

export type { GrantClaim, GrantRefusal, CampaignCounts } from "./services/campaign-grants"

type CodeCampaignsDeps = { campaignGrantsService: CampaignGrantsService }

/**
 * Campaigns that give codes (营销, e.g. "拉新送7天会员"): Medusa's generated data-management methods for campaigns and
 * grants, and a facade over the grants service (./services). Codes stay in the card vault, delivered to the grant.
 */
class CodeCampaignsModuleService extends MedusaService({ CodeCampaign, CodeCampaignGrant }) {
  protected readonly grants_: CampaignGrantsService

  constructor(container: CodeCampaignsDeps) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.grants_ = container.campaignGrantsService
  }

  claimGrant(...args: Parameters<CampaignGrantsService["claimGrant"]>): ReturnType<CampaignGrantsService["claimGrant"]> {
    return this.grants_.claimGrant(...args)
  }

  releaseGrant(...args: Parameters<CampaignGrantsService["releaseGrant"]>): ReturnType<CampaignGrantsService["releaseGrant"]> {
    return this.grants_.releaseGrant(...args)
  }

  attachGrantCode(...args: Parameters<CampaignGrantsService["attachCode"]>): ReturnType<CampaignGrantsService["attachCode"]> {
    return this.grants_.attachCode(...args)
  }

  campaignCounts(...args: Parameters<CampaignGrantsService["countsOf"]>): ReturnType<CampaignGrantsService["countsOf"]> {
    return this.grants_.countsOf(...args)
  }
}

export default CodeCampaignsModuleService
