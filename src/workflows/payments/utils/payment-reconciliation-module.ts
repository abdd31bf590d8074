import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_RECONCILIATION_MODULE } from "../../../modules/payment-reconciliation"
import type PaymentReconciliationModuleService from "../../../modules/payment-reconciliation/service"

/** The payment reconciliation module's service, resolved by its registration name and typed. */
export function paymentReconciliationModule(container: Pick<MedusaContainer, "resolve">): PaymentReconciliationModuleService {
  return container.resolve<PaymentReconciliationModuleService>(PAYMENT_RECONCILIATION_MODULE)
}
