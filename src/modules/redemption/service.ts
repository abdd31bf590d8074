import { MedusaService } from "@medusajs/framework/utils"
import { Voucher, VoucherProgram, VoucherRedemption } from "./models"
import type VoucherLedgerService from "./services/voucher-ledger"
import type VoucherProgramsService from "./services/voucher-programs"

export * from "./utils/types"
export { voucherNotFound } from "./services/voucher-ledger"

type RedemptionDeps = { voucherProgramsService: VoucherProgramsService; voucherLedgerService: VoucherLedgerService }

/**
 * Redemption (核销) of the merchant's own vouchers: Medusa's generated data-management methods for its models and a
 * facade over its internal services (./services): programs per pool, and the ledger (validation, redemption, rollback).
 * Codes stay in the card vault; this module knows them by id.
 */
class RedemptionModuleService extends MedusaService({ VoucherProgram, Voucher, VoucherRedemption }) {
  protected readonly programs_: VoucherProgramsService
  protected readonly ledger_: VoucherLedgerService

  constructor(container: RedemptionDeps) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.programs_ = container.voucherProgramsService
    this.ledger_ = container.voucherLedgerService
  }

  setVoucherProgram(...args: Parameters<VoucherProgramsService["setProgram"]>): ReturnType<VoucherProgramsService["setProgram"]> {
    return this.programs_.setProgram(...args)
  }

  voucherProgramOf(...args: Parameters<VoucherProgramsService["programOf"]>): ReturnType<VoucherProgramsService["programOf"]> {
    return this.programs_.programOf(...args)
  }

  voucherState(...args: Parameters<VoucherLedgerService["voucherState"]>): ReturnType<VoucherLedgerService["voucherState"]> {
    return this.ledger_.voucherState(...args)
  }

  voucherStates(...args: Parameters<VoucherLedgerService["voucherStates"]>): ReturnType<VoucherLedgerService["voucherStates"]> {
    return this.ledger_.voucherStates(...args)
  }

  voucherHistory(...args: Parameters<VoucherLedgerService["historyOf"]>): ReturnType<VoucherLedgerService["historyOf"]> {
    return this.ledger_.historyOf(...args)
  }

  listRedemptions(...args: Parameters<VoucherLedgerService["listRedemptions"]>): ReturnType<VoucherLedgerService["listRedemptions"]> {
    return this.ledger_.listRedemptions(...args)
  }

  redeemVoucher(...args: Parameters<VoucherLedgerService["redeem"]>): ReturnType<VoucherLedgerService["redeem"]> {
    return this.ledger_.redeem(...args)
  }

  rollbackRedemption(...args: Parameters<VoucherLedgerService["rollback"]>): ReturnType<VoucherLedgerService["rollback"]> {
    return this.ledger_.rollback(...args)
  }
}

export default RedemptionModuleService
