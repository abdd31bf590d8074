import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type ValidateCardPoolLinkStepInput = { pool_id: string; variant_id: string; stock_location_id: string }

export type ValidateCardPoolLinkStepOutput = {
  /** The variant's inventory item, whose level at the stock location mirrors the pool for display; none is fine. */
  inventory_item_id: string | null
  has_level: boolean
}

export const validateCardPoolLinkStepId = "validate-card-pool-link"

type PoolVariantRow = { id: string; product_variant?: { id: string } | null }
type VariantLinkRow = { id: string; card_pool?: { id: string } | null; card_bundle?: { id: string } | null; inventory_items?: { inventory_item_id: string }[] | null }

/**
 * Checks that a pool can sell a variant: both exist, neither is linked elsewhere, the variant is not a kit of several
 * inventory items, and the stock location exists. Changes nothing.
 */
export const validateCardPoolLinkStep = createStep(
  validateCardPoolLinkStepId,
  async (input: ValidateCardPoolLinkStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: pools } = await query.graph({
      entity: "card_pool",
      fields: ["id", "product_variant.id"],
      filters: { id: input.pool_id },
    })
    if (!pools.length) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${input.pool_id} was not found`)
    }
    const linked = (pools as PoolVariantRow[])[0].product_variant?.id
    if (linked && linked !== input.variant_id) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Card pool ${input.pool_id} already sells variant ${linked}: unlink it first`
      )
    }
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id", "card_pool.id", "card_bundle.id", "inventory_items.inventory_item_id"],
      filters: { id: input.variant_id },
    })
    const variant: VariantLinkRow | undefined = (variants as VariantLinkRow[])[0]
    if (!variant) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product variant with id: ${input.variant_id} was not found`)
    }
    if (variant.card_pool?.id && variant.card_pool.id !== input.pool_id) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Variant ${input.variant_id} is already sold from card pool ${variant.card_pool.id}`
      )
    }
    if (variant.card_bundle?.id) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Variant ${input.variant_id} sells bundle ${variant.card_bundle.id}: remove the bundle first`)
    }
    const inventoryItemId = variant.inventory_items?.[0]?.inventory_item_id ?? null
    if ((variant.inventory_items?.length ?? 0) > 1) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Variant ${input.variant_id} has several inventory items (a kit): sell virtual goods from a single-item variant`
      )
    }
    const { data: locations } = await query.graph({
      entity: "stock_location",
      fields: ["id"],
      filters: { id: input.stock_location_id },
    })
    if (!locations.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Stock location with id: ${input.stock_location_id} was not found`
      )
    }
    const { data: levels } = inventoryItemId
      ? await query.graph({
          entity: "inventory_level",
          fields: ["id"],
          filters: { inventory_item_id: inventoryItemId, location_id: input.stock_location_id },
        })
      : { data: [] }
    return new StepResponse<ValidateCardPoolLinkStepOutput>({
      inventory_item_id: inventoryItemId,
      has_level: levels.length > 0,
    })
  }
)
