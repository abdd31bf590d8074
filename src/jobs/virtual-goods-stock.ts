import { MedusaContainer } from "@medusajs/framework/types"
import { expireCardCodesWorkflow } from "../workflows/virtual-goods/workflows/expire-card-codes"
import { raiseCardStockAlertsWorkflow } from "../workflows/virtual-goods/workflows/raise-card-stock-alerts"
import { runOncePerTick } from "../utils/once-per-tick"

const EXPIRE_BATCH = 10_000
const MAX_EXPIRE_RUNS = 50

/**
 * Every five minutes: moves codes past their expiry date to `expired` (never sold afterwards), then raises and
 * clears low-stock and near-expiry alerts.
 */
export default async function virtualGoodsStock(container: MedusaContainer) {
  await runOncePerTick(container, config, () => checkVirtualGoodsStock(container))
}

export async function checkVirtualGoodsStock(container: MedusaContainer) {
  let expired = 0
  for (let run = 0; run < MAX_EXPIRE_RUNS; run++) {
    const { result } = await expireCardCodesWorkflow(container).run({ input: { limit: EXPIRE_BATCH } })
    expired += result.expired
    if (result.expired < EXPIRE_BATCH) break
  }
  const { result: alerts } = await raiseCardStockAlertsWorkflow(container).run()
  return { expired, raised: alerts.raised, cleared: alerts.cleared }
}

export const config = {
  name: "virtual-goods-stock",
  schedule: "*/5 * * * *",
}
