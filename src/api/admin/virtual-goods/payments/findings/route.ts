import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminGetPaymentFindingsParamsType } from "../../validators"
import { paymentReconciliationModule } from "../../../../../workflows/payments/utils/payment-reconciliation-module"
import { findingBody } from "../helpers"

/** Reconciliation's findings, newest first; filter by status, kind or order. Amounts are exact decimal strings. */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const { status, kind, order_id, limit, offset } = req.validatedQuery as AdminGetPaymentFindingsParamsType
  const [findings, count] = await paymentReconciliationModule(req.scope).listAndCountPaymentFindings(
    { ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(order_id ? { order_id } : {}) },
    { take: limit, skip: offset, order: { created_at: "DESC", id: "DESC" } }
  )
  res.json({ findings: findings.map(findingBody), count, limit, offset })
}
