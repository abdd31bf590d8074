import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { VIRTUAL_GOODS_TOPUP_SUCCEEDED_TEMPLATE } from "../../../utils/notification-templates"
import { sendPaymentNotificationStep } from "../../payments/steps"
import { describeTopUpResultStep } from "../steps/describe-top-up-result"

export type NotifyTopUpSucceededWorkflowInput = { supplier_order_id: string }
export type NotifyTopUpSucceededWorkflowOutput = { sent: boolean }

export const notifyTopUpSucceededWorkflowId = "notify-top-up-succeeded"

/**
 * Tells the customer their top-up was credited (the `virtual-goods.topup-succeeded` email, once per supplier order),
 * with the masked recipient only.
 *
 * @example
 * await notifyTopUpSucceededWorkflow(container).run({ input: { supplier_order_id: "supo_123" } })
 *
 * @summary Tell the customer a top-up succeeded.
 */
export const notifyTopUpSucceededWorkflow = createWorkflow(notifyTopUpSucceededWorkflowId, (input: NotifyTopUpSucceededWorkflowInput) => {
  const result = describeTopUpResultStep(input)
  const sent = when("tell-customer", { result }, ({ result }) => !!result).then(() =>
    sendPaymentNotificationStep(
      transform({ result }, ({ result }) => ({
        to: result!.email,
        template: VIRTUAL_GOODS_TOPUP_SUCCEEDED_TEMPLATE,
        idempotency_key: `virtual-goods-topup-succeeded:${result!.id}`,
        resource_id: result!.order_id,
        resource_type: "order",
        data: result!.data,
      }))
    )
  )
  return new WorkflowResponse(transform({ sent }, ({ sent }): NotifyTopUpSucceededWorkflowOutput => ({ sent: !!sent?.sent })))
})
