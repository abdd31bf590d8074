import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RecordFindingInput } from "../../../modules/payment-reconciliation/service"
import { paymentReconciliationModule } from "../utils/payment-reconciliation-module"

export type RecordPaymentFindingStepInput = RecordFindingInput

export const recordPaymentFindingStepId = "record-payment-finding"

/** Records (or updates, by key) what reconciliation found and did. A finding is a record: nothing to undo. */
export const recordPaymentFindingStep = createStep(recordPaymentFindingStepId, async (input: RecordPaymentFindingStepInput, { container }) => {
  const recorded = await paymentReconciliationModule(container).recordFinding(input)
  return new StepResponse({ ...recorded, kind: input.kind, order_id: input.order_id ?? null })
})
