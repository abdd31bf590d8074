import { Module } from "@medusajs/framework/utils"
import optionsLoader from "./loaders/options"
import PaymentReconciliationModuleService from "./service"

export const PAYMENT_RECONCILIATION_MODULE = "payment_reconciliation"

export default Module(PAYMENT_RECONCILIATION_MODULE, {
  service: PaymentReconciliationModuleService,
  loaders: [optionsLoader],
})

export { summarizeStripeEvent } from "./utils/event-summary"
export type { ResolvedPaymentReconciliationOptions, PaymentReconciliationModuleOptions } from "./utils/options"
export { fromSmallestUnit, smallestUnitFactor } from "./utils/amounts"
