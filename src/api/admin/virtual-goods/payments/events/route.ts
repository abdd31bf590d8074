import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminGetPaymentEventsParamsType } from "../../validators"
import { paymentReconciliationModule } from "../../../../../workflows/payments/utils/payment-reconciliation-module"

/** The webhook inbox, newest first: verified events with their processing status. No payloads (only ids and statuses). */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const { type, status, payment_intent_id, limit, offset } = req.validatedQuery as AdminGetPaymentEventsParamsType
  const [events, count] = await paymentReconciliationModule(req.scope).listAndCountPaymentWebhookEvents(
    { ...(type ? { type } : {}), ...(status ? { status } : {}), ...(payment_intent_id ? { payment_intent_id } : {}) },
    {
      take: limit,
      skip: offset,
      order: { received_at: "DESC", id: "DESC" },
      select: [
        "id",
        "provider_id",
        "event_id",
        "type",
        "object_id",
        "payment_intent_id",
        "status",
        "attempts",
        "last_error",
        "stripe_created_at",
        "received_at",
        "processed_at",
        "settled_at",
      ],
    }
  )
  res.json({ events, count, limit, offset })
}
