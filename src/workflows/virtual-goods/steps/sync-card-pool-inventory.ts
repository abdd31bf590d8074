import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import type CardVaultModuleService from "../../../modules/card-vault/service"

export type SyncCardPoolInventoryStepInput = {
  /** Pools to sync; all pools linked to a variant when omitted. */
  pool_ids?: string[]
}

type LevelSnapshot = { inventory_item_id: string; location_id: string; stocked_quantity: number }

export const syncCardPoolInventoryStepId = "sync-card-pool-inventory"

/**
 * Mirrors each pool's stock into the inventory level of its variant at the pool's stock location, so the
 * storefront shows stock and "sold out" as for any product. Stocked quantity = codes not yet delivered
 * (available + reserved): Medusa subtracts its own reservations of placed orders from it to get what can be
 * sold, and decrements it itself when the digital fulfillment is created. Compensation restores the levels.
 */
export const syncCardPoolInventoryStep = createStep(
  syncCardPoolInventoryStepId,
  async (input: SyncCardPoolInventoryStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    const inventory = container.resolve(Modules.INVENTORY)
    const { data: pools } = await query.graph({
      entity: "card_pool",
      fields: ["id", "stock_location_id", "product_variant.id", "product_variant.inventory_items.inventory_item_id"],
      filters: input.pool_ids ? { id: input.pool_ids } : {},
    })
    const targets = (pools as any[])
      .map((p) => ({
        pool_id: p.id as string,
        location_id: p.stock_location_id as string | null,
        inventory_item_id: p.product_variant?.inventory_items?.[0]?.inventory_item_id as string | undefined,
      }))
      .filter((t) => t.location_id && t.inventory_item_id) as {
      pool_id: string
      location_id: string
      inventory_item_id: string
    }[]
    if (!targets.length) return new StepResponse({ updated: 0 }, [] as LevelSnapshot[])

    const counts = await vault.getStockCounts(targets.map((t) => t.pool_id))
    const levels = await inventory.listInventoryLevels({
      inventory_item_id: targets.map((t) => t.inventory_item_id),
      location_id: targets.map((t) => t.location_id),
    })
    const before: LevelSnapshot[] = []
    const updates: LevelSnapshot[] = []
    for (const t of targets) {
      const level = levels.find((l) => l.inventory_item_id === t.inventory_item_id && l.location_id === t.location_id)
      if (!level) continue
      const stocked = counts[t.pool_id].available + counts[t.pool_id].reserved
      if (Number(level.stocked_quantity) === stocked) continue
      before.push({ inventory_item_id: t.inventory_item_id, location_id: t.location_id, stocked_quantity: Number(level.stocked_quantity) })
      updates.push({ inventory_item_id: t.inventory_item_id, location_id: t.location_id, stocked_quantity: stocked })
    }
    if (updates.length) await inventory.updateInventoryLevels(updates)
    return new StepResponse({ updated: updates.length }, before)
  },
  async (before, { container }) => {
    if (!before?.length) return
    await container.resolve(Modules.INVENTORY).updateInventoryLevels(before)
  }
)
