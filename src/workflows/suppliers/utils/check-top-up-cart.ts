import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { suppliersModule } from "./suppliers-module"

type CartItem = { id?: string; variant_id?: string | null; title?: string | null; unit_price?: unknown; metadata?: Record<string, unknown> | null }
type TopUpVariant = { id: string; supplier_product?: { id: string; kind: string; status: string; unit_cost?: unknown; max_unit_cost?: unknown } | null }

/** What the top-up check reads of a cart's variants (the checkout reads them once, with its own fields). */
export const TOP_UP_VARIANT_FIELDS = [
  "supplier_product.id",
  "supplier_product.kind",
  "supplier_product.status",
  "supplier_product.unit_cost",
  "supplier_product.max_unit_cost",
]

/**
 * A cart's top-up lines before its order exists: each needs a recipient set for this cart and this variant (through
 * POST /store/virtual-goods/carts/:id/line-items/:line_id/recipient), an active product, and a price the supplier's
 * last known cost does not exceed (nor the product's maximum). Refused with a 400 naming the line otherwise: no order,
 * nothing charged.
 */
export async function checkTopUpLinesOfCart(
  container: Pick<MedusaContainer, "resolve">,
  cartId: string,
  items: CartItem[],
  /** The cart's variants, read by the caller with at least TOP_UP_VARIANT_FIELDS. */
  variants: unknown[]
): Promise<number> {
  const productOf = new Map((variants as TopUpVariant[]).flatMap((v) => (v.supplier_product?.kind === "topup" ? [[v.id, v.supplier_product] as const] : [])))
  const lines = items.filter((i) => i.variant_id && productOf.has(i.variant_id))
  if (!lines.length) return 0
  const ids = lines.map((l) => l.metadata?.virtual_goods_recipient_id).filter((id): id is string => typeof id === "string")
  const recipients = new Map((await suppliersModule(container).describeRecipients(ids)).map((r) => [r.id, r]))
  for (const line of lines) {
    const product = productOf.get(line.variant_id!)!
    const name = line.title ?? line.id ?? line.variant_id
    const recipientId = line.metadata?.virtual_goods_recipient_id
    const recipient = typeof recipientId === "string" ? recipients.get(recipientId) : undefined
    if (!recipient || recipient.cart_id !== cartId || recipient.variant_id !== line.variant_id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `The top-up "${name}" needs its recipient: set it for line ${line.id ?? line.variant_id} before completing the cart`)
    }
    if (product.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `The top-up "${name}" is not available now`)
    const cost = product.unit_cost === null || product.unit_cost === undefined ? null : MathBN.convert(product.unit_cost as string)
    const max = product.max_unit_cost === null || product.max_unit_cost === undefined ? null : MathBN.convert(product.max_unit_cost as string)
    const price = line.unit_price === null || line.unit_price === undefined ? null : MathBN.convert(line.unit_price as string)
    if (cost && ((max && MathBN.gt(cost, max)) || (price && MathBN.gt(cost, price)))) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `The top-up "${name}" is not available at this price now`)
    }
  }
  return lines.length
}
