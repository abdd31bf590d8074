import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export const evaluateCardStockAlertsStepId = "evaluate-card-stock-alerts"

/**
 * Raises and clears pool alerts (see the vault's `evaluateStockAlerts`). Compensation forgets the alerts it raised,
 * so that when their notification fails they are raised — and notified — again on the next run.
 */
export const evaluateCardStockAlertsStep = createStep(
  evaluateCardStockAlertsStepId,
  async (_input: void, { container }) => {
    const vault = cardVaultModule(container)
    const result = await vault.evaluateStockAlerts()
    return new StepResponse(result, result.raised.map((a) => a.id))
  },
  async (alertIds, { container }) => {
    if (!alertIds?.length) return
    const vault = cardVaultModule(container)
    await vault.forgetRaisedAlerts({ alert_ids: alertIds })
  }
)
