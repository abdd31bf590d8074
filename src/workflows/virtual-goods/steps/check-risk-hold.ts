import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { holdOf } from "../../../modules/risk/service"
import { cardVaultModule } from "../utils/card-vault-module"
import { riskModule } from "../../risk/utils/risk-module"

export const checkRiskHoldStepId = "check-risk-hold"

/**
 * Whether an order's codes must wait for a risk review: its checkout's decision asked for review and no admin has
 * approved it. Ties the decision to the order the first time (and records the hold in the audit log then). Nothing
 * releases a held order but an approval: not a retry, the sweep job, or another payment event.
 */
export const checkRiskHoldStep = createStep(
  checkRiskHoldStepId,
  async (input: { order_id: string; cart_id: string | null }, { container }) => {
    const risk = riskModule(container)
    // A checkout's decision comes back from tying it to its order; a wholesale order's is found by the order.
    const attached = input.cart_id ? await risk.attachOrder({ subject_type: "cart", subject_id: input.cart_id, order_id: input.order_id }) : null
    const held = attached ? holdOf(attached) : await risk.isHeld({ order_id: input.order_id })
    if (held?.review_status === "pending") {
      const vault = cardVaultModule(container)
      const [already] = await vault.listCardAuditLogs({ order_id: input.order_id, action: "risk_hold" }, { select: ["id"], take: 1 })
      if (!already) {
        await vault.recordAudit({
          action: "risk_hold",
          actor: { type: "system" },
          order_id: input.order_id,
          cart_id: input.cart_id,
          reason: held.reasons.map((r) => `${r.rule}: ${r.message}`).join("; "),
          details: { decision_id: held.decision_id },
        })
      }
    }
    return new StepResponse({ held: !!held, decision_id: held?.decision_id ?? null, review_status: held?.review_status ?? null })
  }
)
