import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcilePayments } from "../workflows/payments/utils/reconcile-payments"

/**
 * Every minute: processes webhook events whose processing was lost, completes or refunds succeeded payments without an
 * order, and reads back carts held for asynchronous payments (see `reconcilePayments`).
 */
export default async function virtualGoodsPaymentReconciliation(container: MedusaContainer) {
  await reconcilePayments(container)
}

export const config = {
  name: "virtual-goods-payment-reconciliation",
  schedule: "* * * * *",
}
