import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcilePayments } from "../workflows/payments/utils/reconcile-payments"
import { runOncePerTick } from "../utils/once-per-tick"

/**
 * Every minute: processes webhook events whose processing was lost, completes or refunds succeeded payments without an
 * order, and reads back carts held for asynchronous payments (see `reconcilePayments`).
 */
export default async function virtualGoodsPaymentReconciliation(container: MedusaContainer) {
  await runOncePerTick(container, config, () => reconcilePayments(container))
}

export const config = {
  name: "virtual-goods-payment-reconciliation",
  schedule: "* * * * *",
}
