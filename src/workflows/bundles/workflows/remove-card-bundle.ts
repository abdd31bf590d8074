import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { dismissRemoteLinkStep, emitEventStep, updateProductVariantsStep } from "@medusajs/medusa/core-flows"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import { BundleEvents } from "../../../utils/events"
import { removeCardBundleStep, validateBundleVariantStep } from "../steps"

export type RemoveCardBundleWorkflowInput = { variant_id: string }

export const removeCardBundleWorkflowId = "remove-card-bundle"

/**
 * Stops a variant from being a bundle: the link goes, the bundle is soft-deleted, and the variant's stock is Medusa's
 * inventory's again (managed: with no stock it is not sold, rather than sold with nothing to deliver). Orders that
 * sold it keep their codes. The variant can then be linked to a pool or composed again.
 *
 * @example
 * await removeCardBundleWorkflow(container).run({ input: { variant_id: "variant_123" } })
 *
 * @summary Remove a variant's bundle.
 */
export const removeCardBundleWorkflow = createWorkflow(removeCardBundleWorkflowId, (input: RemoveCardBundleWorkflowInput) => {
  const variant = validateBundleVariantStep(transform({ input }, ({ input }) => ({ variant_id: input.variant_id, removing: true })))
  dismissRemoteLinkStep(
    transform({ variant }, ({ variant }) => [
      { [CARD_VAULT_MODULE]: { card_bundle_id: variant.bundle_id! }, [Modules.PRODUCT]: { product_variant_id: variant.variant_id } },
    ])
  )
  removeCardBundleStep(transform({ variant }, ({ variant }) => ({ bundle_id: variant.bundle_id! })))
  updateProductVariantsStep(transform({ variant }, ({ variant }) => ({ selector: { id: variant.variant_id }, update: { manage_inventory: true } })))
  emitEventStep({
    eventName: BundleEvents.REMOVED,
    data: transform({ variant }, ({ variant }) => ({ id: variant.bundle_id, variant_id: variant.variant_id })),
  })
  return new WorkflowResponse(transform({ variant }, ({ variant }) => ({ id: variant.bundle_id!, variant_id: variant.variant_id, deleted: true })))
})
