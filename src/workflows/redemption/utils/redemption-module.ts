import type { MedusaContainer } from "@medusajs/framework/types"
import { REDEMPTION_MODULE } from "../../../modules/redemption"
import type RedemptionModuleService from "../../../modules/redemption/service"

/** The redemption module's service, resolved by its registration name and typed. */
export function redemptionModule(container: Pick<MedusaContainer, "resolve">): RedemptionModuleService {
  return container.resolve<RedemptionModuleService>(REDEMPTION_MODULE)
}
