import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { rollbackRedemption } from "../../../../../utils/vouchers"
import type { RollbackRedemptionBodyType } from "../../../../../admin/virtual-goods/vouchers/validators"
import { agentOf, requireScope } from "../../../../helpers"

/** A partner gives back one of its own redemptions within the program's window, with a reason (another's is a 404). */
export const POST = async (req: MedusaRequest<RollbackRedemptionBodyType>, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "vouchers:redeem")
  await rollbackRedemption(req, res, { channel: "partner", actor_type: "agent", actor_id: principal.agent_id }, true)
}
