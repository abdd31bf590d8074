import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { createOrderReceiptWorkflow } from "../../../../../../workflows/virtual-goods/workflows/create-order-receipt"
import { vaultOf } from "../../../../../utils/card-vault"
import type { StoreCreateReceiptType } from "../../../validators"

/**
 * The storefront registers its shopper's receipt for an open cart: `{ secret }` (32+ random bytes, base64url). 201
 * `{ receipt: { id, expires_at, max_uses } }`; a second registration for the cart is a 422. Only the secret's hash is
 * kept.
 */
export const POST = async (req: MedusaRequest<StoreCreateReceiptType>, res: MedusaResponse) => {
  const secret_hash = vaultOf(req).receiptSecretHash(req.validatedBody.secret)
  const { result } = await createOrderReceiptWorkflow(req.scope).run({ input: { cart_id: req.params.id, secret_hash } })
  res.status(201).json({ receipt: { id: result.id, expires_at: result.expires_at, max_uses: result.max_uses } })
}
