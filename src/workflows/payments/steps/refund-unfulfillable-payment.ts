import type { BigNumberInput } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { refundPaymentAndRecreatePaymentSessionWorkflow } from "@medusajs/medusa/core-flows"

export type RefundUnfulfillablePaymentStepInput = {
  payment_id: string
  payment_collection_id: string
  provider_id: string
  amount: BigNumberInput
  note: string
}

export const refundUnfulfillablePaymentStepId = "refund-unfulfillable-payment"

/**
 * Refunds in full a captured payment whose order cannot be placed, through Medusa's own workflow for it (the one its
 * cart completion uses when it fails after a capture): the provider refunds, Medusa records the refund, the cart gets
 * a fresh payment session. Irreversible: the last money-moving step.
 */
export const refundUnfulfillablePaymentStep = createStep(
  refundUnfulfillablePaymentStepId,
  async (input: RefundUnfulfillablePaymentStepInput, { container }) => {
    await refundPaymentAndRecreatePaymentSessionWorkflow(container).run({
      input: {
        payment_collection_id: input.payment_collection_id,
        provider_id: input.provider_id,
        amount: input.amount,
        payment_id: input.payment_id,
        note: input.note,
      },
    })
    return new StepResponse({ refunded: true })
  }
)
