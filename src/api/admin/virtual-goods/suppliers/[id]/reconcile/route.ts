import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reconcileSupplier } from "../../../../../../workflows/suppliers"

/** Reconciles a supplier now (what the daily job does): its balance and its order list against ours; findings recorded. */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  res.json({ reconciliation: await reconcileSupplier(req.scope, req.params.id) })
}
