import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { authorizePaymentSessionStep } from "@medusajs/medusa/core-flows"

export type AuthorizeCutOffPaymentWorkflowInput = { payment_session_id: string }

export const authorizeCutOffPaymentWorkflowId = "authorize-cut-off-payment"

/**
 * Authorizes the payment session of an order whose checkout was cut off after the order was created and before its
 * payment was authorized (Medusa's cart completion creates the order first): the step Medusa's completion would have
 * run next, with its own compensation. Used by the minute sweep (see `finishCutOffCheckout`).
 *
 * @summary Authorize the payment of a checkout that was cut off.
 */
export const authorizeCutOffPaymentWorkflow = createWorkflow(authorizeCutOffPaymentWorkflowId, (input: AuthorizeCutOffPaymentWorkflowInput) => {
  const payment = authorizePaymentSessionStep({ id: input.payment_session_id, context: {} })
  return new WorkflowResponse(payment)
})
