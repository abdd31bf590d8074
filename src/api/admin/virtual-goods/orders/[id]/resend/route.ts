import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resendDeliveryNotificationWorkflow } from "../../../../../../workflows/virtual-goods/workflows/resend-delivery-notification"
import { actorOf } from "../../../../../utils/card-vault"
import type { AdminResendDeliveryType } from "../../../validators"

/**
 * Sends the order's delivery notification again (audited): `{ notification_id, sent }`. `sent: false` with no id when
 * the order has no email or the notification provider failed (the failure is logged; the request stays audited).
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminResendDeliveryType>, res: MedusaResponse) => {
  const { result } = await resendDeliveryNotificationWorkflow(req.scope).run({
    input: { order_id: req.params.id, actor: actorOf(req, "user"), reason: req.validatedBody.reason ?? null },
  })
  res.json({ notification_id: result.notification_id, sent: result.sent })
}
