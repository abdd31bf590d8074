import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { dismissRemoteLinkStep, emitEventStep } from "@medusajs/medusa/core-flows"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import { BundleEvents } from "../../../utils/events"
import { removeCardBundleStep, validateBundleVariantStep } from "../steps"

export type RemoveCardBundleWorkflowInput = { variant_id: string }

export const removeCardBundleWorkflowId = "remove-card-bundle"

/**
 * Stops a variant from being a bundle: the link goes and the bundle is soft-deleted. Orders that sold it keep their
 * codes; carts that still hold the variant can no longer complete it (nothing to reserve for it). The variant can then
 * be linked to a pool or composed again.
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
  emitEventStep({
    eventName: BundleEvents.REMOVED,
    data: transform({ variant }, ({ variant }) => ({ id: variant.bundle_id, variant_id: variant.variant_id })),
  })
  return new WorkflowResponse(transform({ variant }, ({ variant }) => ({ id: variant.bundle_id!, variant_id: variant.variant_id, deleted: true })))
})
