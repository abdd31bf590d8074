import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export const auditRiskReviewStepId = "audit-risk-review"

/** The decision in the audit log, with the admin and the reason. Last step: nothing after it can fail. */
export const auditRiskReviewStep = createStep(
  auditRiskReviewStepId,
  async (input: { order_id: string; cart_id: string | null; decision_id: string; status: "approved" | "rejected"; user_id: string | null; note?: string | null }, { container }) => {
    await cardVaultModule(container).recordAudit({
      action: input.status === "approved" ? "risk_approve" : "risk_reject",
      actor: { type: "user", id: input.user_id },
      order_id: input.order_id,
      cart_id: input.cart_id,
      reason: input.note ?? null,
      details: { decision_id: input.decision_id },
    })
    return new StepResponse(void 0)
  }
)
