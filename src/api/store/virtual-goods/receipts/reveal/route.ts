import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { actorOf, vaultOf } from "../../../../utils/card-vault"
import type { StoreReceiptType } from "../../validators"
import { receiptForOrder } from "../utils"

/** Reveals the order's codes to the browser that checked it out, spending one use of its receipt; audited. */
export const POST = async (req: MedusaRequest<StoreReceiptType>, res: MedusaResponse) => {
  const receipt = await receiptForOrder(req, req.validatedBody, true)
  const card_codes = await vaultOf(req).revealCodes({
    order_id: req.validatedBody.order_id,
    actor: actorOf(req, "guest_link", receipt.receipt_id),
  })
  res.setHeader("Cache-Control", "no-store")
  res.json({ order_id: req.validatedBody.order_id, uses_left: receipt.uses_left, card_codes })
}
