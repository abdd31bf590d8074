import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type AssertOrderDeliveredStepInput = {
  /** Who is asserted on, as the error names it (e.g. "Order order_123"). */
  subject: string
  /** The status `deliverOrderCodesWorkflow` answered. */
  status: string | null
  /** The statuses that pass. */
  allowed: string[]
  /** How a refusal is typed: a caller's request that cannot go on (400), or a state the system must not be in. */
  refusal: "not_allowed" | "unexpected_state"
}

export const assertOrderDeliveredStepId = "assert-order-delivered"

/**
 * Fails its workflow (so everything before it is compensated) when an order's delivery ended in another status than
 * the allowed ones: "<subject> could not be delivered (<status>)". Checks only: nothing to compensate.
 *
 * @example
 * assertOrderDeliveredStep({ subject: "Order order_123", status: delivery.status, allowed: ["delivered"], refusal: "not_allowed" })
 */
export const assertOrderDeliveredStep = createStep(assertOrderDeliveredStepId, async (input: AssertOrderDeliveredStepInput) => {
  if (input.status === null || !input.allowed.includes(input.status)) {
    const type = input.refusal === "not_allowed" ? MedusaError.Types.NOT_ALLOWED : MedusaError.Types.UNEXPECTED_STATE
    throw new MedusaError(type, `${input.subject} could not be delivered (${input.status})`)
  }
  return new StepResponse({ status: input.status })
})
