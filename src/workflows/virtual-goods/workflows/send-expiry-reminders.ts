import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { claimExpiryRemindersStep } from "../steps/claim-expiry-reminders"
import { sendExpiryRemindersStep } from "../steps/send-expiry-reminders"

export type SendExpiryRemindersWorkflowInput = { limit?: number }
export type SendExpiryRemindersWorkflowOutput = { codes: number; sent: number }

export const sendExpiryRemindersWorkflowId = "send-expiry-reminders"

/**
 * Reminds buyers, once per code, that their unused codes expire within `expiry_reminder_days` (option; 0 turns it off):
 * never-revealed codes, and vouchers not used up. One email per order, masks and dates only. A failure to send gives
 * the claims back for the next run.
 *
 * @example
 * await sendExpiryRemindersWorkflow(container).run({ input: {} })
 *
 * @summary Remind buyers of codes that expire soon.
 */
export const sendExpiryRemindersWorkflow = createWorkflow(sendExpiryRemindersWorkflowId, (input: SendExpiryRemindersWorkflowInput) => {
  const claimed = claimExpiryRemindersStep(input)
  const sent = sendExpiryRemindersStep(transform({ claimed }, ({ claimed }) => ({ codes: claimed.codes })))
  return new WorkflowResponse(transform({ claimed, sent }, ({ claimed, sent }): SendExpiryRemindersWorkflowOutput => ({ codes: claimed.codes.length, sent: sent.sent })))
})
