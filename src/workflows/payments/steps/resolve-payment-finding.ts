import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { paymentReconciliationModule } from "../utils/payment-reconciliation-module"

export type ResolvePaymentFindingStepInput = { id: string; note: string; resolved_by: string | null }

export const resolvePaymentFindingStepId = "resolve-payment-finding"

/** An admin closes a finding with a note. A record of a decision: nothing to undo. */
export const resolvePaymentFindingStep = createStep(resolvePaymentFindingStepId, async (input: ResolvePaymentFindingStepInput, { container }) => {
  await paymentReconciliationModule(container).resolveFinding(input)
  return new StepResponse({ id: input.id })
})
