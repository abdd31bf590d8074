import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type AuditPaymentDisputeStepInput = {
  action: "dispute_opened" | "dispute_closed"
  order_id: string
  dispute_id: string
  payment_intent_id: string | null
  status: string | null
  reason: string
}

export const auditPaymentDisputeStepId = "audit-payment-dispute"

/** Records a dispute's opening or closing in the vault's audit log (system actor, the dispute's ids and reason). */
export const auditPaymentDisputeStep = createStep(auditPaymentDisputeStepId, async (input: AuditPaymentDisputeStepInput, { container }) => {
  const id = await cardVaultModule(container).recordAudit({
    action: input.action,
    actor: { type: "system" },
    order_id: input.order_id,
    reason: input.reason,
    details: { dispute_id: input.dispute_id, payment_intent_id: input.payment_intent_id, status: input.status },
  })
  return new StepResponse({ audit_id: id })
})
