import type { MedusaRequest } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { vaultOf } from "../../../utils/card-vault"

/**
 * The receipt behind `{ order_id, secret }`, when the order was placed from the receipt's cart; an unknown, expired or
 * used-up receipt and one for another order all give the same 404. `consume` spends a use only once the order matched.
 */
export async function receiptForOrder(req: MedusaRequest, input: { order_id: string; secret: string }, consume: boolean) {
  const vault = vaultOf(req)
  const receipt = await vault.resolveReceipt({ secret: input.secret, consume: false })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["id", "cart.id"], filters: { id: input.order_id } })
  const order: Record<string, unknown> | undefined = data[0]
  const cart = order?.cart as { id?: string } | null | undefined
  if (!order || cart?.id !== receipt.cart_id) throw new MedusaError(MedusaError.Types.NOT_FOUND, "Receipt is invalid or has expired")
  return consume ? await vault.resolveReceipt({ secret: input.secret, consume: true }) : receipt
}
