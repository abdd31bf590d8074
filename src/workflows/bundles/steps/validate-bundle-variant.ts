import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { BUNDLE_VARIANT_FIELDS, type BundleVariantRow } from "../utils/bundle-fields"

export type ValidateBundleVariantStepInput = { variant_id: string; removing?: boolean }

export type ValidateBundleVariantStepOutput = {
  variant_id: string
  /** The bundle the variant sells now (null: none yet). */
  bundle_id: string | null
  manage_inventory: boolean
  /** The variant's inventory item (marked as not shipped), if it has one. */
  inventory_item_id: string | null
}

export const validateBundleVariantStepId = "validate-bundle-variant"

/**
 * Checks that a variant can sell a bundle: it exists and is not sold from a pool nor fulfilled by a supplier (a
 * variant has one source of goods). For a removal, that it sells one. Changes nothing.
 */
export const validateBundleVariantStep = createStep(validateBundleVariantStepId, async (input: ValidateBundleVariantStepInput, { container }) => {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "product_variant",
    fields: BUNDLE_VARIANT_FIELDS,
    filters: { id: input.variant_id },
  })
  const variant = (data as BundleVariantRow[])[0]
  if (!variant) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product variant with id: ${input.variant_id} was not found`)
  if (input.removing && !variant.card_bundle?.id) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Variant ${input.variant_id} does not sell a bundle`)
  }
  if (variant.card_pool?.id) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Variant ${input.variant_id} is sold from card pool ${variant.card_pool.id}: unlink it first`)
  }
  if (variant.supplier_product?.id) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Variant ${input.variant_id} is fulfilled by supplier product ${variant.supplier_product.id}: it cannot be a bundle`)
  }
  if ((variant.inventory_items?.length ?? 0) > 1) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Variant ${input.variant_id} has several inventory items (a kit): a bundle is sold from a single-item variant`)
  }
  return new StepResponse<ValidateBundleVariantStepOutput>({
    variant_id: variant.id,
    bundle_id: variant.card_bundle?.id ?? null,
    manage_inventory: !!variant.manage_inventory,
    inventory_item_id: variant.inventory_items?.[0]?.inventory_item_id ?? null,
  })
})
