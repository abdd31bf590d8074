import { MedusaService } from "@medusajs/framework/utils"
import { CardAlert, CardAuditLog, CardBatch, CardBundle, CardBundleComponent, CardBundleRefund, CardCode, CardDelivery, CardImportError, CardPool, CardReceipt, CardRevealLink, CardSharedCode } from "./models"
import type { ResolvedCardVaultOptions } from "./utils/options"
import type KeyringService from "./services/keyring"
import type CodeAllocationService from "./services/code-allocation"
import type CodeDeliveryService from "./services/code-delivery"
import type CodeRevealService from "./services/code-reveal"
import type CodeImportService from "./services/code-import"
import type VaultReportService from "./services/vault-report"
import type VaultAuditService from "./services/vault-audit"
import type CodeFreezeService from "./services/code-freeze"
import type CodeRemindersService from "./services/code-reminders"
import type BundleComponentsService from "./services/bundle-components"
import type CodePicksService from "./services/code-picks"
import type SharedCodesService from "./services/shared-codes"
import type AuditChainService from "./services/audit-chain"

export * from "./types"
export type { BundleComponent, BundleComponentInput, ComposedBundle } from "./services/bundle-components"
export { FULL_SHARE } from "./services/bundle-components"
export type { PickableCode } from "./services/code-picks"
export { CODE_TAKEN_MESSAGE } from "./services/code-picks"
export type { AuditChainProblem, AuditChainReport, AuditCheckpointRow } from "./services/audit-chain"
export type { SharedCodeInput, SharedCodeRow, TopUpResult, WithdrawResult } from "./services/shared-codes"
export { OUT_OF_STOCK_SQLSTATE, reservationCall, claimStatement } from "./utils/allocation-sql"
export { importLockKey } from "./utils/import-sql"

/** The module's container as the facade sees it: the internal services, one per capability, and the options. */
type CardVaultDeps = {
  keyringService: KeyringService
  codeAllocationService: CodeAllocationService
  codeDeliveryService: CodeDeliveryService
  codeRevealService: CodeRevealService
  codeImportService: CodeImportService
  vaultReportService: VaultReportService
  vaultAuditService: VaultAuditService
  codeFreezeService: CodeFreezeService
  codeRemindersService: CodeRemindersService
  bundleComponentsService: BundleComponentsService
  sharedCodesService: SharedCodesService
  auditChainService: AuditChainService
  codePicksService: CodePicksService
  cardVaultOptions: ResolvedCardVaultOptions
}

/**
 * The card vault's service: Medusa's generated data-management methods for its models (listCardPools,
 * createCardPools, …) and a facade over its internal services, one per capability (see ./services, registered in the
 * module's container like Medusa's own modules' internal services). Each method below delegates to the service that
 * owns it, where its documentation lives; a context passed last runs it in the caller's transaction.
 */
class CardVaultModuleService extends MedusaService({
  CardPool,
  CardBatch,
  CardCode,
  CardAuditLog,
  CardRevealLink,
  CardReceipt,
  CardDelivery,
  CardAlert,
  CardImportError,
  CardBundle,
  CardBundleComponent,
  CardBundleRefund,
  CardSharedCode,
}) {
  protected readonly keyring_: KeyringService
  protected readonly allocation_: CodeAllocationService
  protected readonly delivery_: CodeDeliveryService
  protected readonly reveal_: CodeRevealService
  protected readonly imports_: CodeImportService
  protected readonly reports_: VaultReportService
  protected readonly audit_: VaultAuditService
  protected readonly freeze_: CodeFreezeService
  protected readonly reminders_: CodeRemindersService
  protected readonly bundles_: BundleComponentsService
  protected readonly picks_: CodePicksService
  protected readonly shared_: SharedCodesService
  protected readonly auditChain_: AuditChainService
  protected readonly options_: ResolvedCardVaultOptions

  constructor(container: CardVaultDeps) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.keyring_ = container.keyringService
    this.allocation_ = container.codeAllocationService
    this.delivery_ = container.codeDeliveryService
    this.reveal_ = container.codeRevealService
    this.imports_ = container.codeImportService
    this.reports_ = container.vaultReportService
    this.audit_ = container.vaultAuditService
    this.freeze_ = container.codeFreezeService
    this.reminders_ = container.codeRemindersService
    this.bundles_ = container.bundleComponentsService
    this.picks_ = container.codePicksService
    this.shared_ = container.sharedCodesService
    this.auditChain_ = container.auditChainService
    this.options_ = container.cardVaultOptions
  }

  /** The module's options without its keys. */
  getOptions(): Omit<ResolvedCardVaultOptions, "keyring" | "link_key" | "audit_signing_key"> {
    const { keyring: _keyring, link_key: _linkKey, audit_signing_key: _signingKey, ...rest } = this.options_
    return rest
  }

  // Keys and sealing (KeyringService, services/keyring.ts)

  sealCodes(...args: Parameters<KeyringService["sealCodes"]>): ReturnType<KeyringService["sealCodes"]> {
    return this.keyring_.sealCodes(...args)
  }

  blindIndexOf(...args: Parameters<KeyringService["blindIndexOf"]>): ReturnType<KeyringService["blindIndexOf"]> {
    return this.keyring_.blindIndexOf(...args)
  }

  findExistingBlindIndexes(...args: Parameters<KeyringService["findExistingBlindIndexes"]>): ReturnType<KeyringService["findExistingBlindIndexes"]> {
    return this.keyring_.findExistingBlindIndexes(...args)
  }

  getKeyStatus(...args: Parameters<KeyringService["getKeyStatus"]>): ReturnType<KeyringService["getKeyStatus"]> {
    return this.keyring_.getKeyStatus(...args)
  }

  rotateKeys(...args: Parameters<KeyringService["rotateKeys"]>): ReturnType<KeyringService["rotateKeys"]> {
    return this.keyring_.rotateKeys(...args)
  }

  // Allocation (CodeAllocationService, services/code-allocation.ts)

  reserveForCart(...args: Parameters<CodeAllocationService["reserveForCart"]>): ReturnType<CodeAllocationService["reserveForCart"]> {
    return this.allocation_.reserveForCart(...args)
  }

  claimForOwner(...args: Parameters<CodeAllocationService["claimForOwner"]>): ReturnType<CodeAllocationService["claimForOwner"]> {
    return this.allocation_.claimForOwner(...args)
  }

  bindOwnerCodes(...args: Parameters<CodeAllocationService["bindOwnerCodes"]>): ReturnType<CodeAllocationService["bindOwnerCodes"]> {
    return this.allocation_.bindOwnerCodes(...args)
  }

  unbindOwnerCodes(...args: Parameters<CodeAllocationService["unbindOwnerCodes"]>): ReturnType<CodeAllocationService["unbindOwnerCodes"]> {
    return this.allocation_.unbindOwnerCodes(...args)
  }

  releaseReservations(...args: Parameters<CodeAllocationService["releaseReservations"]>): ReturnType<CodeAllocationService["releaseReservations"]> {
    return this.allocation_.releaseReservations(...args)
  }

  listStaleReservations(...args: Parameters<CodeAllocationService["listStaleReservations"]>): ReturnType<CodeAllocationService["listStaleReservations"]> {
    return this.allocation_.listStaleReservations(...args)
  }

  expireCodes(...args: Parameters<CodeAllocationService["expireCodes"]>): ReturnType<CodeAllocationService["expireCodes"]> {
    return this.allocation_.expireCodes(...args)
  }

  // Delivery (CodeDeliveryService, services/code-delivery.ts)

  deliverOrder(...args: Parameters<CodeDeliveryService["deliverOrder"]>): ReturnType<CodeDeliveryService["deliverOrder"]> {
    return this.delivery_.deliverOrder(...args)
  }

  undeliverCodes(...args: Parameters<CodeDeliveryService["undeliverCodes"]>): ReturnType<CodeDeliveryService["undeliverCodes"]> {
    return this.delivery_.undeliverCodes(...args)
  }

  returnOrderCodes(...args: Parameters<CodeDeliveryService["returnOrderCodes"]>): ReturnType<CodeDeliveryService["returnOrderCodes"]> {
    return this.delivery_.returnOrderCodes(...args)
  }

  holdDelivery(...args: Parameters<CodeDeliveryService["holdDelivery"]>): ReturnType<CodeDeliveryService["holdDelivery"]> {
    return this.delivery_.holdDelivery(...args)
  }

  listHeldDeliveries(...args: Parameters<CodeDeliveryService["listHeldDeliveries"]>): ReturnType<CodeDeliveryService["listHeldDeliveries"]> {
    return this.delivery_.listHeldDeliveries(...args)
  }

  reissueCode(...args: Parameters<CodeDeliveryService["reissueCode"]>): ReturnType<CodeDeliveryService["reissueCode"]> {
    return this.delivery_.reissueCode(...args)
  }

  recordResend(...args: Parameters<CodeDeliveryService["recordResend"]>): ReturnType<CodeDeliveryService["recordResend"]> {
    return this.delivery_.recordResend(...args)
  }

  cancelResend(...args: Parameters<CodeDeliveryService["cancelResend"]>): ReturnType<CodeDeliveryService["cancelResend"]> {
    return this.delivery_.cancelResend(...args)
  }

  undoReissue(...args: Parameters<CodeDeliveryService["undoReissue"]>): ReturnType<CodeDeliveryService["undoReissue"]> {
    return this.delivery_.undoReissue(...args)
  }

  // Payment disputes (CodeFreezeService, services/code-freeze.ts)

  freezeOrderCodes(...args: Parameters<CodeFreezeService["freezeOrderCodes"]>): ReturnType<CodeFreezeService["freezeOrderCodes"]> {
    return this.freeze_.freezeOrderCodes(...args)
  }

  unfreezeOrderCodes(...args: Parameters<CodeFreezeService["unfreezeOrderCodes"]>): ReturnType<CodeFreezeService["unfreezeOrderCodes"]> {
    return this.freeze_.unfreezeOrderCodes(...args)
  }

  // Reveal, guest links and receipts (CodeRevealService, services/code-reveal.ts)

  revealCodes(...args: Parameters<CodeRevealService["revealCodes"]>): ReturnType<CodeRevealService["revealCodes"]> {
    return this.reveal_.revealCodes(...args)
  }

  revealOwnerCodes(...args: Parameters<CodeRevealService["revealOwnerCodes"]>): ReturnType<CodeRevealService["revealOwnerCodes"]> {
    return this.reveal_.revealOwnerCodes(...args)
  }

  createRevealLink(...args: Parameters<CodeRevealService["createRevealLink"]>): ReturnType<CodeRevealService["createRevealLink"]> {
    return this.reveal_.createRevealLink(...args)
  }

  revealUrlFor(...args: Parameters<CodeRevealService["revealUrlFor"]>): ReturnType<CodeRevealService["revealUrlFor"]> {
    return this.reveal_.revealUrlFor(...args)
  }

  resolveRevealLink(...args: Parameters<CodeRevealService["resolveRevealLink"]>): ReturnType<CodeRevealService["resolveRevealLink"]> {
    return this.reveal_.resolveRevealLink(...args)
  }

  receiptSecretHash(...args: Parameters<CodeRevealService["receiptSecretHash"]>): ReturnType<CodeRevealService["receiptSecretHash"]> {
    return this.reveal_.receiptSecretHash(...args)
  }

  createReceipt(...args: Parameters<CodeRevealService["createReceipt"]>): ReturnType<CodeRevealService["createReceipt"]> {
    return this.reveal_.createReceipt(...args)
  }

  deleteReceipt(...args: Parameters<CodeRevealService["deleteReceipt"]>): ReturnType<CodeRevealService["deleteReceipt"]> {
    return this.reveal_.deleteReceipt(...args)
  }

  resolveReceipt(...args: Parameters<CodeRevealService["resolveReceipt"]>): ReturnType<CodeRevealService["resolveReceipt"]> {
    return this.reveal_.resolveReceipt(...args)
  }

  // Imports (CodeImportService, services/code-import.ts)

  importSealedCodes(...args: Parameters<CodeImportService["importSealedCodes"]>): ReturnType<CodeImportService["importSealedCodes"]> {
    return this.imports_.importSealedCodes(...args)
  }

  revertImport(...args: Parameters<CodeImportService["revertImport"]>): ReturnType<CodeImportService["revertImport"]> {
    return this.imports_.revertImport(...args)
  }

  startImportBatch(...args: Parameters<CodeImportService["startImportBatch"]>): ReturnType<CodeImportService["startImportBatch"]> {
    return this.imports_.startImportBatch(...args)
  }

  importStream(...args: Parameters<CodeImportService["importStream"]>): ReturnType<CodeImportService["importStream"]> {
    return this.imports_.importStream(...args)
  }

  failAbandonedImports(...args: Parameters<CodeImportService["failAbandonedImports"]>): ReturnType<CodeImportService["failAbandonedImports"]> {
    return this.imports_.failAbandonedImports(...args)
  }

  closeImportBatch(...args: Parameters<CodeImportService["closeImportBatch"]>): ReturnType<CodeImportService["closeImportBatch"]> {
    return this.imports_.closeImportBatch(...args)
  }

  listImportErrors(...args: Parameters<CodeImportService["listImportErrors"]>): ReturnType<CodeImportService["listImportErrors"]> {
    return this.imports_.listImportErrors(...args)
  }

  // Reports and alerts (VaultReportService, services/vault-report.ts)

  getStockCounts(...args: Parameters<VaultReportService["getStockCounts"]>): ReturnType<VaultReportService["getStockCounts"]> {
    return this.reports_.getStockCounts(...args)
  }

  getAvailableCounts(...args: Parameters<VaultReportService["getAvailableCounts"]>): ReturnType<VaultReportService["getAvailableCounts"]> {
    return this.reports_.getAvailableCounts(...args)
  }

  evaluateStockAlerts(...args: Parameters<VaultReportService["evaluateStockAlerts"]>): ReturnType<VaultReportService["evaluateStockAlerts"]> {
    return this.reports_.evaluateStockAlerts(...args)
  }

  forgetRaisedAlerts(...args: Parameters<VaultReportService["forgetRaisedAlerts"]>): ReturnType<VaultReportService["forgetRaisedAlerts"]> {
    return this.reports_.forgetRaisedAlerts(...args)
  }

  getSalesLines(...args: Parameters<VaultReportService["getSalesLines"]>): ReturnType<VaultReportService["getSalesLines"]> {
    return this.reports_.getSalesLines(...args)
  }

  getSoldSince(...args: Parameters<VaultReportService["getSoldSince"]>): ReturnType<VaultReportService["getSoldSince"]> {
    return this.reports_.getSoldSince(...args)
  }

  getBatchReports(...args: Parameters<VaultReportService["getBatchReports"]>): ReturnType<VaultReportService["getBatchReports"]> {
    return this.reports_.getBatchReports(...args)
  }

  // Audit log (VaultAuditService, services/vault-audit.ts)

  recordAudit(...args: Parameters<VaultAuditService["recordAudit"]>): ReturnType<VaultAuditService["recordAudit"]> {
    return this.audit_.recordAudit(...args)
  }

  // Expiry reminders (CodeRemindersService, services/code-reminders.ts)

  claimExpiryReminders(...args: Parameters<CodeRemindersService["claimExpiryReminders"]>): ReturnType<CodeRemindersService["claimExpiryReminders"]> {
    return this.reminders_.claimExpiryReminders(...args)
  }

  releaseExpiryReminders(...args: Parameters<CodeRemindersService["releaseExpiryReminders"]>): ReturnType<CodeRemindersService["releaseExpiryReminders"]> {
    return this.reminders_.releaseExpiryReminders(...args)
  }

  // Bundles (services/bundle-components)

  composeBundle(...args: Parameters<BundleComponentsService["composeBundle"]>): ReturnType<BundleComponentsService["composeBundle"]> {
    return this.bundles_.composeBundle(...args)
  }

  restoreBundle(...args: Parameters<BundleComponentsService["restoreBundle"]>): ReturnType<BundleComponentsService["restoreBundle"]> {
    return this.bundles_.restoreBundle(...args)
  }

  getBundles(...args: Parameters<BundleComponentsService["getBundles"]>): ReturnType<BundleComponentsService["getBundles"]> {
    return this.bundles_.getBundles(...args)
  }

  getBundleStock(...args: Parameters<BundleComponentsService["getBundleStock"]>): ReturnType<BundleComponentsService["getBundleStock"]> {
    return this.bundles_.getBundleStock(...args)
  }

  takeBackComponent(...args: Parameters<BundleComponentsService["takeBackComponent"]>): ReturnType<BundleComponentsService["takeBackComponent"]> {
    return this.bundles_.takeBackComponent(...args)
  }

  undoTakeBack(...args: Parameters<BundleComponentsService["undoTakeBack"]>): ReturnType<BundleComponentsService["undoTakeBack"]> {
    return this.bundles_.undoTakeBack(...args)
  }

  finishComponentRefund(...args: Parameters<BundleComponentsService["finishComponentRefund"]>): ReturnType<BundleComponentsService["finishComponentRefund"]> {
    return this.bundles_.finishComponentRefund(...args)
  }

  // Audit chains and checkpoints (AuditChainService, services/audit-chain.ts)

  verifyAuditChain(...args: Parameters<AuditChainService["verifyAuditChain"]>): ReturnType<AuditChainService["verifyAuditChain"]> {
    return this.auditChain_.verifyAuditChain(...args)
  }

  getAuditChainHeads(...args: Parameters<AuditChainService["getAuditChainHeads"]>): ReturnType<AuditChainService["getAuditChainHeads"]> {
    return this.auditChain_.getAuditChainHeads(...args)
  }

  createAuditCheckpoint(...args: Parameters<AuditChainService["createAuditCheckpoint"]>): ReturnType<AuditChainService["createAuditCheckpoint"]> {
    return this.auditChain_.createAuditCheckpoint(...args)
  }

  listAuditCheckpoints(...args: Parameters<AuditChainService["listAuditCheckpoints"]>): ReturnType<AuditChainService["listAuditCheckpoints"]> {
    return this.auditChain_.listAuditCheckpoints(...args)
  }

  auditPublicKey(...args: Parameters<AuditChainService["auditPublicKey"]>): ReturnType<AuditChainService["auditPublicKey"]> {
    return this.auditChain_.auditPublicKey(...args)
  }

  // Reusable pools (SharedCodesService, services/shared-codes.ts)

  importSharedCodes(...args: Parameters<SharedCodesService["importSharedCodes"]>): ReturnType<SharedCodesService["importSharedCodes"]> {
    return this.shared_.importSharedCodes(...args)
  }

  topUpSharedCodes(...args: Parameters<SharedCodesService["topUpSharedCodes"]>): ReturnType<SharedCodesService["topUpSharedCodes"]> {
    return this.shared_.topUpSharedCodes(...args)
  }

  undoTopUp(...args: Parameters<SharedCodesService["undoTopUp"]>): ReturnType<SharedCodesService["undoTopUp"]> {
    return this.shared_.undoTopUp(...args)
  }

  withdrawSharedCode(...args: Parameters<SharedCodesService["withdrawSharedCode"]>): ReturnType<SharedCodesService["withdrawSharedCode"]> {
    return this.shared_.withdrawSharedCode(...args)
  }

  undoWithdraw(...args: Parameters<SharedCodesService["undoWithdraw"]>): ReturnType<SharedCodesService["undoWithdraw"]> {
    return this.shared_.undoWithdraw(...args)
  }

  listSharedCodes(...args: Parameters<SharedCodesService["listSharedCodes"]>): ReturnType<SharedCodesService["listSharedCodes"]> {
    return this.shared_.listSharedCodes(...args)
  }

  // Buyer's choice (CodePicksService, services/code-picks.ts)

  labelPickableCodes(...args: Parameters<CodePicksService["labelPickableCodes"]>): ReturnType<CodePicksService["labelPickableCodes"]> {
    return this.picks_.labelPickableCodes(...args)
  }

  listPickable(...args: Parameters<CodePicksService["listPickable"]>): ReturnType<CodePicksService["listPickable"]> {
    return this.picks_.listPickable(...args)
  }

  pickCode(...args: Parameters<CodePicksService["pickCode"]>): ReturnType<CodePicksService["pickCode"]> {
    return this.picks_.pickCode(...args)
  }

  unpickCode(...args: Parameters<CodePicksService["unpickCode"]>): ReturnType<CodePicksService["unpickCode"]> {
    return this.picks_.unpickCode(...args)
  }

  releaseDroppedPicks(...args: Parameters<CodePicksService["releaseDroppedPicks"]>): ReturnType<CodePicksService["releaseDroppedPicks"]> {
    return this.picks_.releaseDroppedPicks(...args)
  }
}

export default CardVaultModuleService
