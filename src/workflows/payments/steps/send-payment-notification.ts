import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type SendPaymentNotificationStepInput = {
  /** The shopper's email, or null to send to the admins' alert channel. */
  to: string | null
  template: string
  /** Sent once per key (a retried run does not mail twice). */
  idempotency_key: string
  resource_id: string
  resource_type: string
  data: Record<string, unknown>
}

export const sendPaymentNotificationStepId = "send-payment-notification"

/**
 * Tells the shopper (email) or the admins (the vault's alert channel and address, the admin feed by default) what
 * happened to a payment. Data carries ids, amounts and reasons — never a code or a token. The last step of its
 * workflow: an email cannot be taken back.
 */
export const sendPaymentNotificationStep = createStep(
  sendPaymentNotificationStepId,
  async (input: SendPaymentNotificationStepInput, { container }) => {
    const { alert_channel, alert_to } = cardVaultModule(container).getOptions()
    const toShopper = input.to !== null
    if (toShopper && !input.to) return new StepResponse({ sent: false })
    await container.resolve(Modules.NOTIFICATION).createNotifications({
      to: toShopper ? (input.to as string) : alert_to,
      channel: toShopper ? "email" : alert_channel,
      template: input.template,
      idempotency_key: input.idempotency_key,
      resource_id: input.resource_id,
      resource_type: input.resource_type,
      data: input.data,
    })
    return new StepResponse({ sent: true })
  }
)
