import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"

export type SaveTopUpRecipientStepInput = {
  cart_id: string
  line_item_id: string
  /** The shopper's fields: validated and sealed here; the step's output holds only the id and the mask. */
  recipient: Record<string, string>
}

export const saveTopUpRecipientStepId = "save-top-up-recipient"

type CartRow = { id: string; completed_at: unknown; items?: { id: string; variant_id: string | null; quantity: unknown; metadata: Record<string, unknown> | null }[] | null }

/**
 * Checks a cart's line is a top-up, validates the recipient against its product's fields (a clear error naming the
 * field), seals it and answers its id and mask with the line's metadata to set. Compensation deletes the sealed row.
 */
export const saveTopUpRecipientStep = createStep(
  saveTopUpRecipientStepId,
  async (input: SaveTopUpRecipientStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: carts } = await query.graph({
      entity: "cart",
      fields: ["id", "completed_at", "items.id", "items.variant_id", "items.quantity", "items.metadata"],
      filters: { id: input.cart_id },
    })
    const cart = (carts as CartRow[])[0]
    if (!cart) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart with id: ${input.cart_id} was not found`)
    if (cart.completed_at) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Cart ${input.cart_id} is already completed`)
    const item = (cart.items ?? []).find((i) => i.id === input.line_item_id)
    if (!item?.variant_id) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Line item with id: ${input.line_item_id} was not found in cart ${input.cart_id}`)
    const { data: variants } = await query.graph({ entity: "product_variant", fields: ["id", "supplier_product.id", "supplier_product.kind"], filters: { id: item.variant_id } })
    const product = (variants as { supplier_product?: { id: string; kind: string } | null }[])[0]?.supplier_product
    if (!product || product.kind !== "topup") throw new MedusaError(MedusaError.Types.INVALID_DATA, `Line item ${input.line_item_id} is not a top-up: it takes no recipient`)
    const saved = await suppliersModule(container).saveRecipient({ supplier_product_id: product.id, fields: input.recipient, variant_id: item.variant_id, cart_id: cart.id })
    return new StepResponse(
      {
        recipient: saved,
        quantity: MathBN.convert(item.quantity as BigNumberInput).toNumber(),
        metadata: { ...(item.metadata ?? {}), virtual_goods_recipient_id: saved.id, virtual_goods_recipient: saved.masked },
      },
      saved.id
    )
  },
  async (id, { container }) => {
    if (id) await suppliersModule(container).deleteSupplierRecipients(id)
  }
)
