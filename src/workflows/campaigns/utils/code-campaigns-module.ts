import type { MedusaContainer } from "@medusajs/framework/types"
import { CODE_CAMPAIGNS_MODULE } from "../../../modules/code-campaigns"
import type CodeCampaignsModuleService from "../../../modules/code-campaigns/service"

/** The campaigns module's service, resolved by its registration name and typed. */
export function codeCampaignsModule(container: Pick<MedusaContainer, "resolve">): CodeCampaignsModuleService {
  return container.resolve<CodeCampaignsModuleService>(CODE_CAMPAIGNS_MODULE)
}
