import type { MedusaContainer } from "@medusajs/framework/types"
import { runSupplierOrdersTick } from "../workflows/suppliers/utils/run-supplier-orders"
import { runOncePerTick } from "../utils/once-per-tick"

/**
 * Every minute: submits supplier orders whose submission never started, queries those without a final answer, sends
 * those past the window to the admins (`unknown`) and finishes refunds a crash interrupted (see runSupplierOrdersTick).
 */
export default async function virtualGoodsSupplierOrders(container: MedusaContainer) {
  await runOncePerTick(container, config, () => runSupplierOrdersTick(container))
}

export const config = {
  name: "virtual-goods-supplier-orders",
  schedule: "* * * * *",
}
