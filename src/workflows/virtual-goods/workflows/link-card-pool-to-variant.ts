import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createInventoryLevelsWorkflow, createRemoteLinkStep, updateInventoryItemsWorkflow } from "@medusajs/medusa/core-flows"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import { syncCardPoolInventoryStep, updateCardPoolStep, validateCardPoolLinkStep } from "../steps"

export type LinkCardPoolToVariantWorkflowInput = {
  pool_id: string
  variant_id: string
  /** Stock location the digital fulfillment is created at (and whose inventory level mirrors the pool for display). */
  stock_location_id: string
}

export const linkCardPoolToVariantWorkflowId = "link-card-pool-to-variant"

/**
 * Makes a pool the stock of a product variant: links them and hands the variant's stock to the vault — the variant is
 * no longer managed by Medusa's inventory (the vault's claim is the only gate, without Medusa's per-item lock on the
 * checkout path). If the variant has an inventory item, it is marked as not requiring shipping and its level at the
 * stock location (created if missing) mirrors the pool's available codes for Medusa's inventory pages.
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
    when("create-inventory-level", { check }, ({ check }) => !!check.inventory_item_id && !check.has_level).then(() => {
      createInventoryLevelsWorkflow.runAsStep({
        input: transform({ input, check }, ({ input, check }) => ({
          inventory_levels: [
            { inventory_item_id: check.inventory_item_id!, location_id: input.stock_location_id, stocked_quantity: 0 },
          ],
        })),
      })
    })
    // A code is never shipped: carts of this variant need no address and no shipping method.
    when("mark-item-not-shipped", { check }, ({ check }) => !!check.inventory_item_id).then(() => {
      updateInventoryItemsWorkflow.runAsStep({
        input: transform({ check }, ({ check }) => ({
          updates: [{ id: check.inventory_item_id!, requires_shipping: false }],
        })),
      })
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
