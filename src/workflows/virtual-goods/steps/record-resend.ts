import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor } from "../../../modules/card-vault/service"
import { cardVaultModule } from "../utils/card-vault-module"

export type RecordResendStepInput = { order_id: string; actor: CardActor; reason?: string | null }

export const recordResendStepId = "record-card-notification-resend"

/**
 * Audits an admin's request to send an order's delivery notification again (refused when the order has no delivered
 * code). Output: the request's id, which keys the notification. Compensation appends `resend_canceled`.
 */
export const recordResendStep = createStep(
  recordResendStepId,
  async (input: RecordResendStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const result = await vault.recordResend(input)
    return new StepResponse(result, { resend_id: result.resend_id, order_id: input.order_id })
  },
  async (data, { container }) => {
    if (!data) return
    const vault = cardVaultModule(container)
    await vault.cancelResend(data)
  }
)
