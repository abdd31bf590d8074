import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type AssertApprovedOrderDeliveredStepInput = { order_id: string; status: string }

export const assertApprovedOrderDeliveredStepId = "assert-approved-order-delivered"

/**
 * Fails the approval (so it is rolled back: the decision reopens) when the approved order's delivery neither
 * delivered its codes nor waits for its payment. Checks only: nothing to compensate.
 */
export const assertApprovedOrderDeliveredStep = createStep(
  assertApprovedOrderDeliveredStepId,
  async (input: AssertApprovedOrderDeliveredStepInput) => {
    if (input.status !== "delivered" && input.status !== "awaiting_payment") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${input.order_id} could not be delivered (${input.status})`)
    }
    return new StepResponse(void 0)
  }
)
