import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type SyncCardPoolInventoryStepInput = {
  /** Pools to sync; all pools linked to a variant when omitted. */
  pool_ids?: string[]
}

type LevelSnapshot = { inventory_item_id: string; location_id: string; stocked_quantity: number }
type SyncUndo = { levels: LevelSnapshot[]; managed_variant_ids: string[] }

type LinkedPool = {
  id: string
  stock_location_id: string | null
  product_variant?: { id: string; manage_inventory: boolean; inventory_items?: { inventory_item_id: string }[] } | null
}

export const syncCardPoolInventoryStepId = "sync-card-pool-inventory"

/**
 * Keeps the stock of a variant sold from a pool in the vault's hands. The vault is the one book of virtual stock
 * and its claim the one gate: the variant is not managed by Medusa's inventory (`manage_inventory: false`), so
 * Medusa's cart completion neither reserves it nor takes its per-item lock, and no second count can refuse a sale the
 * vault would make. A variant that is still managed (linked before this rule, or switched back by hand) is switched
 * off here. The inventory level of its item at the pool's stock location, if it has one, mirrors the codes available
 * for sale, for Medusa's inventory pages; it is a display and lags deliveries until the next sync (the sweep job runs
 * every minute; imports, expiry, returns, reissues and links sync at once). Compensation restores both.
 */
export const syncCardPoolInventoryStep = createStep(
  syncCardPoolInventoryStepId,
  async (input: SyncCardPoolInventoryStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const vault = cardVaultModule(container)
    const inventory = container.resolve(Modules.INVENTORY)
    const { data } = await query.graph({
      entity: "card_pool",
      fields: [
        "id",
        "stock_location_id",
        "product_variant.id",
        "product_variant.manage_inventory",
        "product_variant.inventory_items.inventory_item_id",
      ],
      filters: input.pool_ids ? { id: input.pool_ids } : {},
    })
    const pools = (data as LinkedPool[]).filter((p) => p.product_variant?.id)
    const undo: SyncUndo = { levels: [], managed_variant_ids: [] }

    const managed = pools.filter((p) => p.product_variant!.manage_inventory).map((p) => p.product_variant!.id)
    if (managed.length) {
      await container.resolve(Modules.PRODUCT).updateProductVariants({ id: managed }, { manage_inventory: false })
      undo.managed_variant_ids = managed
    }

    const targets = pools.flatMap((p) => {
      const inventoryItemId = p.product_variant!.inventory_items?.[0]?.inventory_item_id
      return p.stock_location_id && inventoryItemId
        ? [{ pool_id: p.id, location_id: p.stock_location_id, inventory_item_id: inventoryItemId }]
        : []
    })
    if (!targets.length) return new StepResponse({ updated: 0, unmanaged: managed.length }, undo)

    const counts = await vault.getStockCounts(targets.map((t) => t.pool_id))
    const levels = await inventory.listInventoryLevels({
      inventory_item_id: targets.map((t) => t.inventory_item_id),
      location_id: targets.map((t) => t.location_id),
    })
    const updates: LevelSnapshot[] = []
    for (const t of targets) {
      const level = levels.find((l) => l.inventory_item_id === t.inventory_item_id && l.location_id === t.location_id)
      if (!level) continue
      const stocked = counts[t.pool_id].available
      if (Number(level.stocked_quantity) === stocked) continue
      undo.levels.push({ inventory_item_id: t.inventory_item_id, location_id: t.location_id, stocked_quantity: Number(level.stocked_quantity) })
      updates.push({ inventory_item_id: t.inventory_item_id, location_id: t.location_id, stocked_quantity: stocked })
    }
    if (updates.length) await inventory.updateInventoryLevels(updates)
    return new StepResponse({ updated: updates.length, unmanaged: managed.length }, undo)
  },
  async (undo, { container }) => {
    if (!undo) return
    if (undo.levels.length) await container.resolve(Modules.INVENTORY).updateInventoryLevels(undo.levels)
    if (undo.managed_variant_ids.length) {
      await container.resolve(Modules.PRODUCT).updateProductVariants({ id: undo.managed_variant_ids }, { manage_inventory: true })
    }
  }
)
