import { Module } from "@medusajs/framework/utils"
import CardVaultModuleService from "./service"

export const CARD_VAULT_MODULE = "card_vault"

export default Module(CARD_VAULT_MODULE, {
  service: CardVaultModuleService,
})

export * from "./utils/state-machine"
export type {
  CardActor,
  SealedCardCode,
  RevealedCardCode,
  StockCounts,
  StartImportBatchInput,
  ImportOutcome,
  CardAlertRaised,
  CardReissue,
  CardBatchReport,
} from "./service"
export { CARD_CODE_PUBLIC_FIELDS } from "./service"
