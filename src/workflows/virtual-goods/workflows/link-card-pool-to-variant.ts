import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createInventoryLevelsWorkflow, createRemoteLinkStep, updateInventoryItemsWorkflow } from "@medusajs/medusa/core-flows"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import { syncCardPoolInventoryStep, updateCardPoolStep, validateCardPoolLinkStep } from "../steps"

export type LinkCardPoolToVariantWorkflowInput = {
  pool_id: string
  variant_id: string
  /** Stock location whose inventory level mirrors the pool; it must serve the variant's sales channels. */
  stock_location_id: string
}

export const linkCardPoolToVariantWorkflowId = "link-card-pool-to-variant"

/**
 * Makes a pool the stock of a product variant: links them, creates the inventory level at the stock location
 * if missing, marks the variant's inventory item as not requiring shipping, and mirrors the pool's stock into it.
 *
 * @example
 * await linkCardPoolToVariantWorkflow(container).run({
 *   input: { pool_id: "cpool_123", variant_id: "variant_123", stock_location_id: "sloc_123" }
 * })
 *
 * @summary Link a card pool to a product variant.
 */
export const linkCardPoolToVariantWorkflow = createWorkflow(
  linkCardPoolToVariantWorkflowId,
  (input: LinkCardPoolToVariantWorkflowInput) => {
    const check = validateCardPoolLinkStep(input)
    updateCardPoolStep(transform({ input }, ({ input }) => ({ id: input.pool_id, stock_location_id: input.stock_location_id })))
    when("create-inventory-level", { check }, ({ check }) => !check.has_level).then(() => {
      createInventoryLevelsWorkflow.runAsStep({
        input: transform({ input, check }, ({ input, check }) => ({
          inventory_levels: [
            { inventory_item_id: check.inventory_item_id, location_id: input.stock_location_id, stocked_quantity: 0 },
          ],
        })),
      })
    })
    // A code is never shipped: carts of this variant need no address and no shipping method.
    updateInventoryItemsWorkflow.runAsStep({
      input: transform({ check }, ({ check }) => ({
        updates: [{ id: check.inventory_item_id, requires_shipping: false }],
      })),
    })
    createRemoteLinkStep(
      transform({ input }, ({ input }) => [
        { [CARD_VAULT_MODULE]: { card_pool_id: input.pool_id }, [Modules.PRODUCT]: { product_variant_id: input.variant_id } },
      ])
    )
    syncCardPoolInventoryStep(transform({ input }, ({ input }) => ({ pool_ids: [input.pool_id] })))
    return new WorkflowResponse(transform({ input }, ({ input }) => ({ pool_id: input.pool_id, variant_id: input.variant_id })))
  }
)
