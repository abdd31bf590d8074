import { MedusaService } from "@medusajs/framework/utils"
import { Supplier, SupplierFinding, SupplierOrder, SupplierOrderEvent, SupplierProduct, SupplierRecipient } from "./models"
import type { ResolvedSuppliersOptions } from "./utils/options"
import type RecipientsService from "./services/recipients"
import type SupplierDirectoryService from "./services/supplier-directory"
import type SupplierFindingsService from "./services/supplier-findings"
import type SupplierGatewayService from "./services/supplier-gateway"
import type SupplierOrdersService from "./services/supplier-orders"

export type { SupplierOrderRow, NewSupplierOrder, SupplierOrderEventInput, SupplierMarginRow } from "./services/supplier-orders"
export type { SupplierFindingKind } from "./services/supplier-findings"
export type { SealedCredentials } from "./services/supplier-directory"
export type { SupplierAdapter, SupplierConnection, UpstreamOrderAnswer, UpstreamProduct, SupplierCallback, RecipientFields } from "./adapters/types"
export type { SupplierOrderStatus, SupplierOrderTransition } from "./utils/state-machine"
export type { RecipientFieldSpec } from "./utils/recipient-fields"

type SuppliersServiceDeps = {
  recipientsService: RecipientsService
  supplierDirectoryService: SupplierDirectoryService
  supplierFindingsService: SupplierFindingsService
  supplierGatewayService: SupplierGatewayService
  supplierOrdersService: SupplierOrdersService
  suppliersOptions: ResolvedSuppliersOptions
}

/**
 * Suppliers: upstream suppliers and their sealed credentials, the products we buy from them, the orders we place with
 * them (top-ups, restocks, pass-through purchases) and their state machine, recipients, findings. Medusa's generated
 * methods for its models (listSuppliers, …) plus a facade over the internal services in ./services. The adapters
 * (./adapters) are called only through the gateway.
 */
class SuppliersModuleService extends MedusaService({ Supplier, SupplierProduct, SupplierOrder, SupplierOrderEvent, SupplierRecipient, SupplierFinding }) {
  protected readonly recipients_: RecipientsService
  protected readonly directory_: SupplierDirectoryService
  protected readonly findings_: SupplierFindingsService
  protected readonly gateway_: SupplierGatewayService
  protected readonly orders_: SupplierOrdersService
  protected readonly options_: ResolvedSuppliersOptions

  constructor(container: SuppliersServiceDeps) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.recipients_ = container.recipientsService
    this.directory_ = container.supplierDirectoryService
    this.findings_ = container.supplierFindingsService
    this.gateway_ = container.supplierGatewayService
    this.orders_ = container.supplierOrdersService
    this.options_ = container.suppliersOptions
  }

  /** The module's options without key material. */
  getOptions(): Omit<ResolvedSuppliersOptions, "keys"> {
    const { keys: _k, ...rest } = this.options_
    return rest
  }

  // Credentials and health (SupplierDirectoryService, services/supplier-directory.ts)

  insertSupplierRow(...args: Parameters<SupplierDirectoryService["insertRow"]>): ReturnType<SupplierDirectoryService["insertRow"]> {
    return this.directory_.insertRow(...args)
  }

  updateSupplierRow(...args: Parameters<SupplierDirectoryService["updateRow"]>): ReturnType<SupplierDirectoryService["updateRow"]> {
    return this.directory_.updateRow(...args)
  }

  sealCredentials(...args: Parameters<SupplierDirectoryService["sealCredentials"]>): ReturnType<SupplierDirectoryService["sealCredentials"]> {
    return this.directory_.sealCredentials(...args)
  }

  setCredentials(...args: Parameters<SupplierDirectoryService["setCredentials"]>): ReturnType<SupplierDirectoryService["setCredentials"]> {
    return this.directory_.setCredentials(...args)
  }

  recordBalance(...args: Parameters<SupplierDirectoryService["recordBalance"]>): ReturnType<SupplierDirectoryService["recordBalance"]> {
    return this.directory_.recordBalance(...args)
  }

  // Calls to suppliers (SupplierGatewayService, services/supplier-gateway.ts)

  callSupplier<T>(...args: Parameters<SupplierGatewayService["call"]>): Promise<T> {
    return this.gateway_.call(...args) as Promise<T>
  }

  verifySupplierCallback(...args: Parameters<SupplierGatewayService["verifyCallback"]>): ReturnType<SupplierGatewayService["verifyCallback"]> {
    return this.gateway_.verifyCallback(...args)
  }

  supplierCallbackAnswer(...args: Parameters<SupplierGatewayService["callbackAnswer"]>): ReturnType<SupplierGatewayService["callbackAnswer"]> {
    return this.gateway_.callbackAnswer(...args)
  }

  // Recipients (RecipientsService, services/recipients.ts)

  recipientFingerprint(...args: Parameters<RecipientsService["recipientFingerprint"]>): ReturnType<RecipientsService["recipientFingerprint"]> {
    return this.recipients_.recipientFingerprint(...args)
  }

  saveRecipient(...args: Parameters<RecipientsService["saveRecipient"]>): ReturnType<RecipientsService["saveRecipient"]> {
    return this.recipients_.saveRecipient(...args)
  }

  describeRecipients(...args: Parameters<RecipientsService["describeRecipients"]>): ReturnType<RecipientsService["describeRecipients"]> {
    return this.recipients_.describeRecipients(...args)
  }

  openRecipient(...args: Parameters<RecipientsService["openRecipient"]>): ReturnType<RecipientsService["openRecipient"]> {
    return this.recipients_.openRecipient(...args)
  }

  // Supplier orders (SupplierOrdersService, services/supplier-orders.ts)

  createSupplierOrdersOnce(...args: Parameters<SupplierOrdersService["createOrders"]>): ReturnType<SupplierOrdersService["createOrders"]> {
    return this.orders_.createOrders(...args)
  }

  createRestockOrder(...args: Parameters<SupplierOrdersService["createRestockOrder"]>): ReturnType<SupplierOrdersService["createRestockOrder"]> {
    return this.orders_.createRestockOrder(...args)
  }

  restockedToday(...args: Parameters<SupplierOrdersService["restockedToday"]>): ReturnType<SupplierOrdersService["restockedToday"]> {
    return this.orders_.restockedToday(...args)
  }

  retrieveSupplierOrderRow(...args: Parameters<SupplierOrdersService["retrieveOrder"]>): ReturnType<SupplierOrdersService["retrieveOrder"]> {
    return this.orders_.retrieveOrder(...args)
  }

  claimForSubmission(...args: Parameters<SupplierOrdersService["claimForSubmission"]>): ReturnType<SupplierOrdersService["claimForSubmission"]> {
    return this.orders_.claimForSubmission(...args)
  }

  applyTransition(...args: Parameters<SupplierOrdersService["applyTransition"]>): ReturnType<SupplierOrdersService["applyTransition"]> {
    return this.orders_.applyTransition(...args)
  }

  recordInconclusive(...args: Parameters<SupplierOrdersService["recordInconclusive"]>): ReturnType<SupplierOrdersService["recordInconclusive"]> {
    return this.orders_.recordInconclusive(...args)
  }

  recordSupplierOrderEvent(...args: Parameters<SupplierOrdersService["recordEvent"]>): ReturnType<SupplierOrdersService["recordEvent"]> {
    return this.orders_.recordEvent(...args)
  }

  listDueForQuery(...args: Parameters<SupplierOrdersService["listDueForQuery"]>): ReturnType<SupplierOrdersService["listDueForQuery"]> {
    return this.orders_.listDueForQuery(...args)
  }

  listStalePending(...args: Parameters<SupplierOrdersService["listStalePending"]>): ReturnType<SupplierOrdersService["listStalePending"]> {
    return this.orders_.listStalePending(...args)
  }

  listPastWindow(...args: Parameters<SupplierOrdersService["listPastWindow"]>): ReturnType<SupplierOrdersService["listPastWindow"]> {
    return this.orders_.listPastWindow(...args)
  }

  claimRefund(...args: Parameters<SupplierOrdersService["claimRefund"]>): ReturnType<SupplierOrdersService["claimRefund"]> {
    return this.orders_.claimRefund(...args)
  }

  releaseRefundClaim(...args: Parameters<SupplierOrdersService["releaseRefundClaim"]>): ReturnType<SupplierOrdersService["releaseRefundClaim"]> {
    return this.orders_.releaseRefundClaim(...args)
  }

  finishRefund(...args: Parameters<SupplierOrdersService["finishRefund"]>): ReturnType<SupplierOrdersService["finishRefund"]> {
    return this.orders_.finishRefund(...args)
  }

  listRefundsDue(...args: Parameters<SupplierOrdersService["listRefundsDue"]>): ReturnType<SupplierOrdersService["listRefundsDue"]> {
    return this.orders_.listRefundsDue(...args)
  }

  marginReport(...args: Parameters<SupplierOrdersService["marginReport"]>): ReturnType<SupplierOrdersService["marginReport"]> {
    return this.orders_.marginReport(...args)
  }

  // Findings (SupplierFindingsService, services/supplier-findings.ts)

  recordSupplierFinding(...args: Parameters<SupplierFindingsService["recordFinding"]>): ReturnType<SupplierFindingsService["recordFinding"]> {
    return this.findings_.recordFinding(...args)
  }

  resolveSupplierFinding(...args: Parameters<SupplierFindingsService["resolveFinding"]>): ReturnType<SupplierFindingsService["resolveFinding"]> {
    return this.findings_.resolveFinding(...args)
  }
}

export default SuppliersModuleService
