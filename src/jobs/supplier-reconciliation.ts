import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcileSuppliers } from "../workflows/suppliers/utils/reconcile-suppliers"
import { runOncePerTick } from "../utils/once-per-tick"

/** Daily at 03:10: each supplier's balance and order list compared with ours (对账); differences become findings. */
export default async function virtualGoodsSupplierReconciliation(container: MedusaContainer) {
  await runOncePerTick(container, config, () => reconcileSuppliers(container))
}

export const config = {
  name: "virtual-goods-supplier-reconciliation",
  schedule: "10 3 * * *",
}
