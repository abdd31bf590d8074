/** A product variant as composing a bundle reads it. */
export type BundleVariantRow = {
  id: string
  manage_inventory: boolean
  card_pool?: { id: string } | null
  card_bundle?: { id: string } | null
  supplier_product?: { id: string; kind: string } | null
  inventory_items?: { inventory_item_id: string }[] | null
}

export const BUNDLE_VARIANT_FIELDS = [
  "id",
  "manage_inventory",
  "card_pool.id",
  "card_bundle.id",
  "supplier_product.id",
  "supplier_product.kind",
  "inventory_items.inventory_item_id",
]
