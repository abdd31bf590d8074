import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reconcilePayments } from "../../../../../workflows/payments/utils/reconcile-payments"

/** Runs reconciliation now (what the job does every minute). 200 `{ result: { checked, completed, refunded, released, events, findings } }`. */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const result = await reconcilePayments(req.scope)
  res.json({ result })
}
