import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardAlertRaised } from "../../../modules/card-vault/service"
import { VIRTUAL_GOODS_STOCK_ALERT_TEMPLATE } from "../../../utils/notification-templates"
import { cardVaultModule } from "../utils/card-vault-module"

export type SendCardStockAlertsStepInput = { alerts: CardAlertRaised[] }

export const sendCardStockAlertsStepId = "send-card-stock-alerts"

export function describeAlert(alert: Pick<CardAlertRaised, "kind" | "pool_name" | "details">): { title: string; description: string } {
  const d = alert.details
  return alert.kind === "low_stock"
    ? {
        title: `Low stock: ${alert.pool_name}`,
        description: `${d.available} code(s) left, at or below the threshold of ${d.threshold}. Import or generate codes.`,
      }
    : {
        title: `Codes expiring: ${alert.pool_name}`,
        description: `${d.expiring} available code(s) expire within ${d.within_days} day(s), the first on ${d.earliest}.`,
      }
}

/**
 * Sends one notification per newly raised alert through Medusa's notification module (the admin feed by default:
 * `data.title` and `data.description` are what the bell shows). Idempotent by alert id. The last step: a failure
 * rolls the run back so the alerts are raised and sent again next time.
 */
export const sendCardStockAlertsStep = createStep(
  sendCardStockAlertsStepId,
  async (input: SendCardStockAlertsStepInput, { container }) => {
    if (!input.alerts.length) return new StepResponse({ sent: 0 })
    const vault = cardVaultModule(container)
    const { alert_channel, alert_to } = vault.getOptions()
    await container.resolve(Modules.NOTIFICATION).createNotifications(
      input.alerts.map((alert) => ({
        to: alert_to,
        channel: alert_channel,
        template: VIRTUAL_GOODS_STOCK_ALERT_TEMPLATE,
        idempotency_key: `virtual-goods-alert:${alert.id}`,
        resource_id: alert.pool_id,
        resource_type: "card_pool",
        data: {
          ...describeAlert(alert),
          alert_id: alert.id,
          pool_id: alert.pool_id,
          pool_name: alert.pool_name,
          kind: alert.kind,
          details: alert.details,
        },
      }))
    )
    return new StepResponse({ sent: input.alerts.length })
  }
)
