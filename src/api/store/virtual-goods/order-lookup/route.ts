import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { requestOrderLinkWorkflow } from "../../../../workflows/virtual-goods/workflows/request-order-link"
import type { StoreRequestOrderLinkType } from "../validators"

/**
 * Order lookup for guests: `{ email, order_number }`. When they match an order with delivered codes, a fresh guest
 * link is mailed to the order's address. Always 202 with the same body — the page never shows codes, nor whether
 * the order exists.
 */
export const POST = async (req: MedusaRequest<StoreRequestOrderLinkType>, res: MedusaResponse) => {
  await requestOrderLinkWorkflow(req.scope).run({
    input: { email: req.validatedBody.email, display_id: req.validatedBody.order_number },
  })
  res.setHeader("Cache-Control", "no-store")
  res.status(202).json({ requested: true })
}
