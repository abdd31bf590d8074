import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resolvePaymentFindingWorkflow } from "../../../../../../../workflows/payments/workflows/resolve-payment-finding"
import { paymentReconciliationModule } from "../../../../../../../workflows/payments/utils/payment-reconciliation-module"
import type { AdminResolvePaymentFindingType } from "../../../../validators"
import { findingBody } from "../../../helpers"

/** An admin resolves a finding: `{ note }` (3–2,000 characters). 200 `{ finding }`; an unknown id is a 404. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminResolvePaymentFindingType>, res: MedusaResponse) => {
  await resolvePaymentFindingWorkflow(req.scope).run({
    input: { id: req.params.id, note: req.validatedBody.note, resolved_by: req.auth_context?.actor_id ?? null },
  })
  const finding = await paymentReconciliationModule(req.scope).retrievePaymentFinding(req.params.id)
  res.json({ finding: findingBody(finding) })
}
