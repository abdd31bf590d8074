import type { MedusaContainer } from "@medusajs/framework/types"
import { restockPoolsFromSuppliers } from "../workflows/suppliers/utils/restock-pools"
import { runOncePerTick } from "../utils/once-per-tick"

/** Every five minutes: pools linked to an upstream codes product are restocked when they run low (restockPoolsFromSuppliers). */
export default async function virtualGoodsSupplierRestock(container: MedusaContainer) {
  await runOncePerTick(container, config, () => restockPoolsFromSuppliers(container))
}

export const config = {
  name: "virtual-goods-supplier-restock",
  schedule: "*/5 * * * *",
}
