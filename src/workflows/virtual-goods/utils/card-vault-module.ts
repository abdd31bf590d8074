import type { MedusaContainer } from "@medusajs/framework/types"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import type CardVaultModuleService from "../../../modules/card-vault/service"

/** The card vault's service, resolved by its registration name and typed (see agents/utils/agents-module). */
export function cardVaultModule(container: Pick<MedusaContainer, "resolve">): CardVaultModuleService {
  return container.resolve<CardVaultModuleService>(CARD_VAULT_MODULE)
}
