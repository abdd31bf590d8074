import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { setTopUpRecipientWorkflow } from "../../../../../../../../workflows/suppliers"
import type { StoreSetRecipientType } from "../../../../../validators"

/**
 * Sets the recipient of a top-up line (e.g. `{ "recipient": { "phone": "13800138000" } }`): checked against the
 * product's fields (400 naming the field), sealed; the answer and the line's metadata hold only its id and mask.
 */
export const POST = async (req: MedusaRequest<StoreSetRecipientType>, res: MedusaResponse) => {
  const { result } = await setTopUpRecipientWorkflow(req.scope).run({
    input: { cart_id: req.params.id, line_item_id: req.params.line_id, recipient: req.validatedBody.recipient },
  })
  res.setHeader("Cache-Control", "no-store")
  res.json({ recipient: result })
}
