import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type ValidateCardPoolUnlinkStepInput = { pool_id: string }

export const validateCardPoolUnlinkStepId = "validate-card-pool-unlink"

type PoolLinkRow = {
  id: string
  stock_location_id: string | null
  product_variant?: { id: string; inventory_items?: { inventory_item_id: string }[] | null } | null
}

/**
 * Checks that a pool can stop selling its variant: it is linked to one, and no cart holds a reservation of its codes
 * (a checkout in flight would be left without its codes). Outputs the variant, its inventory item and the pool's
 * stock location. Reads only.
 */
export const validateCardPoolUnlinkStep = createStep(
  validateCardPoolUnlinkStepId,
  async (input: ValidateCardPoolUnlinkStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: pools } = await query.graph({
      entity: "card_pool",
      fields: ["id", "stock_location_id", "product_variant.id", "product_variant.inventory_items.inventory_item_id"],
      filters: { id: input.pool_id },
    })
    const pool: PoolLinkRow | undefined = (pools as PoolLinkRow[])[0]
    if (!pool) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${input.pool_id} was not found`)
    const variant = pool.product_variant
    if (!variant?.id) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Card pool ${input.pool_id} is not linked to a product variant`)
    }
    const vault = cardVaultModule(container)
    const reserved = (await vault.getStockCounts([input.pool_id]))[input.pool_id]?.reserved ?? 0
    if (reserved > 0) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Card pool ${input.pool_id} has ${reserved} codes reserved by checkouts in progress: unlink it once they are completed or released (the sweep job releases abandoned ones)`
      )
    }
    return new StepResponse({
      variant_id: variant.id,
      inventory_item_id: variant.inventory_items?.[0]?.inventory_item_id ?? null,
      location_id: pool.stock_location_id ?? null,
    })
  }
)
