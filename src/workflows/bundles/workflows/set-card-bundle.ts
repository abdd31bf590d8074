import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createRemoteLinkStep, emitEventStep, updateInventoryItemsWorkflow, updateProductVariantsStep } from "@medusajs/medusa/core-flows"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import type { BundleComponentInput, ComposedBundle } from "../../../modules/card-vault/service"
import { BundleEvents } from "../../../utils/events"
import { composeCardBundleStep, validateBundleVariantStep } from "../steps"

export type SetCardBundleWorkflowInput = {
  variant_id: string
  /** The bundle's name (the variant's own title stays the storefront's). */
  name: string
  /** Pools, codes of each per bundle, and (optionally, all or none) each one's share of the price in basis points. */
  components: BundleComponentInput[]
}

export type SetCardBundleWorkflowOutput = ComposedBundle & { variant_id: string }

export const setCardBundleWorkflowId = "set-card-bundle"

/**
 * Makes a variant a bundle (组合商品) or changes its bundle: the components are checked and stored (see the vault's
 * `composeBundle`), a new bundle is linked to the variant, and the variant's stock is the vault's — not managed by
 * Medusa's inventory, its inventory item (if any) not shipped — like a pool's variant. Checkout then reserves every
 * component all or nothing, delivery binds their codes to the bundle's line. A variant sold from a pool or by a
 * supplier cannot be a bundle.
 *
 * @example
 * await setCardBundleWorkflow(container).run({
 *   input: { variant_id: "variant_123", name: "追剧达人包", components: [{ pool_id: "cpool_1", quantity: 1 }, { pool_id: "cpool_2", quantity: 1 }] },
 * })
 *
 * @summary Compose a bundle on a product variant.
 */
export const setCardBundleWorkflow = createWorkflow(setCardBundleWorkflowId, (input: SetCardBundleWorkflowInput) => {
  const variant = validateBundleVariantStep(transform({ input }, ({ input }) => ({ variant_id: input.variant_id })))
  const bundle = composeCardBundleStep(
    transform({ input, variant }, ({ input, variant }) => ({ bundle_id: variant.bundle_id, name: input.name, components: input.components }))
  )
  when("link-bundle-to-variant", { variant }, ({ variant }) => !variant.bundle_id).then(() => {
    createRemoteLinkStep(
      transform({ bundle, input }, ({ bundle, input }) => [
        { [CARD_VAULT_MODULE]: { card_bundle_id: bundle.id }, [Modules.PRODUCT]: { product_variant_id: input.variant_id } },
      ])
    )
  })
  when("unmanage-bundle-variant", { variant }, ({ variant }) => variant.manage_inventory).then(() => {
    updateProductVariantsStep(
      transform({ input }, ({ input }) => ({ selector: { id: input.variant_id }, update: { manage_inventory: false } }))
    )
  })
  when("mark-bundle-item-not-shipped", { variant }, ({ variant }) => !!variant.inventory_item_id).then(() => {
    updateInventoryItemsWorkflow.runAsStep({
      input: transform({ variant }, ({ variant }) => ({ updates: [{ id: variant.inventory_item_id!, requires_shipping: false }] })),
    })
  })
  emitEventStep({
    eventName: BundleEvents.COMPOSED,
    data: transform({ bundle, input }, ({ bundle, input }) => ({ id: bundle.id, variant_id: input.variant_id })),
  })
  return new WorkflowResponse(transform({ bundle, input }, ({ bundle, input }): SetCardBundleWorkflowOutput => ({ ...bundle, variant_id: input.variant_id })))
})
