import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { holdCartForPaymentWorkflow } from "../../../../../../workflows/payments/workflows/hold-cart-for-payment"

/**
 * Holds the cart's codes while its shopper pays asynchronously; the storefront calls it right before confirming the
 * payment with Stripe. 200 `{ hold: { cart_id, expires_at, reserved } }`; out of stock → 400 "Out of stock: …"; a
 * completed cart → 400; an unknown cart → 404. Idempotent per cart (a second call renews the hold).
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const { result } = await holdCartForPaymentWorkflow(req.scope).run({ input: { cart_id: req.params.id } })
  res.json({ hold: { cart_id: result.cart_id, expires_at: result.expires_at, reserved: result.reserved } })
}
