import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

/** The secret arrives hashed: a workflow's input is stored, a receipt's secret never is. */
export type CreateOrderReceiptStepInput = { cart_id: string; secret_hash: string }

export const createOrderReceiptStepId = "create-card-order-receipt"

/**
 * Registers the checking-out browser's receipt for an open cart (one per cart). A missing or completed cart is refused.
 * Compensation removes the receipt.
 */
export const createOrderReceiptStep = createStep(
  createOrderReceiptStepId,
  async (input: CreateOrderReceiptStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "cart", fields: ["id", "completed_at"], filters: { id: input.cart_id } })
    const cart: Record<string, unknown> | undefined = data[0]
    if (!cart) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart id not found: ${input.cart_id}`)
    if (cart.completed_at) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Cart ${input.cart_id} is already completed`)
    const vault = cardVaultModule(container)
    const receipt = await vault.createReceipt(input)
    return new StepResponse(receipt, receipt.id)
  },
  async (id, { container }) => {
    if (!id) return
    const vault = cardVaultModule(container)
    await vault.deleteReceipt(id)
  }
)
