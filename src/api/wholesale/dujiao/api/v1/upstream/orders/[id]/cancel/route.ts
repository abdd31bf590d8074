import type { MedusaResponse } from "@medusajs/framework/http"
import { agentOf, requireScope } from "../../../../../../../helpers"
import { DujiaoError, dujiaoRoute, findDujiaoOrder } from "../../../../../../helpers"

/**
 * dujiao-next cancels only orders awaiting payment; ours are paid when answered, so an existing order is always
 * 409 `cancel_not_allowed` (refunds are the store's), an unknown one 404 `order_not_found`. Scope `orders:write`.
 */
export const POST = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:write")
  await findDujiaoOrder(req.scope, principal.agent_id, req.params.id)
  throw new DujiaoError(409, "cancel_not_allowed", "order cannot be canceled: it is paid")
})
