import type { MedusaContainer } from "@medusajs/framework/types"
import { RISK_MODULE } from "../../../modules/risk"
import type RiskModuleService from "../../../modules/risk/service"

/** The risk module's service, resolved by its registration name and typed (see agents/utils/agents-module). */
export function riskModule(container: Pick<MedusaContainer, "resolve">): RiskModuleService {
  return container.resolve<RiskModuleService>(RISK_MODULE)
}
