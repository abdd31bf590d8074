import { Module } from "@medusajs/framework/utils"
import keyringLoader from "./loaders/keyring"
import CardVaultModuleService from "./service"

export const CARD_VAULT_MODULE = "card_vault"

export default Module(CARD_VAULT_MODULE, {
  service: CardVaultModuleService,
  loaders: [keyringLoader],
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
} from "./types"
export { CARD_CODE_PUBLIC_FIELDS } from "./types"
