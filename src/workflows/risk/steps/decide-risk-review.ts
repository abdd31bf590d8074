import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { riskModule } from "../utils/risk-module"

export const decideRiskReviewStepId = "decide-risk-review"

/**
 * Records an admin's decision on a held order (pending → approved or rejected, once: a second decision is refused).
 * Compensation reopens it. Returns the order and the checkout's cart.
 */
export const decideRiskReviewStep = createStep(
  decideRiskReviewStepId,
  async (input: { decision_id: string; status: "approved" | "rejected"; user_id: string | null; note?: string | null }, { container }) => {
    const decided = await riskModule(container).decide(input)
    if (!decided.order_id) {
      await riskModule(container).reopen(decided.id)
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Risk decision ${input.decision_id} has no order yet: it can be decided once its order is placed`)
    }
    return new StepResponse(
      { decision_id: decided.id, order_id: decided.order_id, cart_id: decided.subject_type === "cart" ? decided.subject_id : null },
      decided.id
    )
  },
  async (id, { container }) => {
    if (id) await riskModule(container).reopen(id)
  }
)
