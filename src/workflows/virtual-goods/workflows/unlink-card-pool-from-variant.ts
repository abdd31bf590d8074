import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { dismissRemoteLinkStep, updateInventoryLevelsWorkflow, updateProductVariantsWorkflow } from "@medusajs/medusa/core-flows"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import { validateCardPoolUnlinkStep } from "../steps"

export type UnlinkCardPoolFromVariantWorkflowInput = { pool_id: string }

export const unlinkCardPoolFromVariantWorkflowId = "unlink-card-pool-from-variant"

/**
 * Stops selling a variant from a pool: refused while checkouts hold reserved codes of the pool; otherwise the link
 * is removed, the variant is managed by Medusa's inventory again and its stock at the pool's location is set to 0, so
 * the storefront cannot sell it without codes behind it (link a pool again to sell it). The pool keeps its codes.
 *
 * @example
 * await unlinkCardPoolFromVariantWorkflow(container).run({ input: { pool_id: "cpool_123" } })
 *
 * @summary Unlink a card pool from its product variant.
 */
export const unlinkCardPoolFromVariantWorkflow = createWorkflow(
  unlinkCardPoolFromVariantWorkflowId,
  (input: UnlinkCardPoolFromVariantWorkflowInput) => {
    const check = validateCardPoolUnlinkStep(input)
    when("zero-variant-stock", { check }, ({ check }) => !!check.inventory_item_id && !!check.location_id).then(() => {
      updateInventoryLevelsWorkflow.runAsStep({
        input: transform({ check }, ({ check }) => ({
          updates: [{ inventory_item_id: check.inventory_item_id!, location_id: check.location_id!, stocked_quantity: 0 }],
        })),
      })
    })
    updateProductVariantsWorkflow.runAsStep({
      input: transform({ check }, ({ check }) => ({ selector: { id: check.variant_id }, update: { manage_inventory: true } })),
    })
    dismissRemoteLinkStep(
      transform({ input, check }, ({ input, check }) => [
        { [CARD_VAULT_MODULE]: { card_pool_id: input.pool_id }, [Modules.PRODUCT]: { product_variant_id: check.variant_id } },
      ])
    )
    return new WorkflowResponse(transform({ input, check }, ({ input, check }) => ({ pool_id: input.pool_id, variant_id: check.variant_id })))
  }
)
