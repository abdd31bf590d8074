import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { holdCartForPaymentStep, prepareCartPaymentHoldStep, reserveCartCodesForPaymentStep } from "../steps"

export type HoldCartForPaymentWorkflowInput = { cart_id: string }
export type HoldCartForPaymentWorkflowOutput = { cart_id: string; expires_at: Date; reserved: number }

export const holdCartForPaymentWorkflowId = "hold-cart-for-payment"

/**
 * Reserves a cart's codes and holds them while its shopper pays asynchronously (Alipay, WeChat Pay, a 3-D Secure
 * step): the storefront runs it right before confirming the payment, so a payment that succeeds after the shopper
 * left still finds its codes. Re-entrant per cart (a second call renews the hold and reserves nothing twice); out of
 * stock → 400 "Out of stock: …". Runs under the cart's lock, like Medusa's cart completion.
 *
 * @example
 * const { result } = await holdCartForPaymentWorkflow(container).run({ input: { cart_id: "cart_123" } })
 *
 * @summary Hold a cart's codes during an asynchronous payment.
 */
export const holdCartForPaymentWorkflow = createWorkflow(holdCartForPaymentWorkflowId, (input: HoldCartForPaymentWorkflowInput) => {
  // The key Medusa's cart completion locks, so a hold and a completion of one cart never interleave.
  acquireLockStep({ key: input.cart_id, timeout: 30, ttl: 120 })
  const plan = prepareCartPaymentHoldStep(input)
  const reserved = reserveCartCodesForPaymentStep(transform({ plan }, ({ plan }) => ({ cart_id: plan.cart_id, items: plan.items })))
  const hold = holdCartForPaymentStep(
    transform({ plan }, ({ plan }) => ({ cart_id: plan.cart_id, payment_session_id: plan.payment_session_id, provider_id: plan.provider_id }))
  )
  releaseLockStep({ key: input.cart_id })
  return new WorkflowResponse(
    transform({ hold, reserved }, ({ hold, reserved }): HoldCartForPaymentWorkflowOutput => ({
      cart_id: hold.cart_id,
      expires_at: hold.expires_at,
      reserved: reserved.held,
    }))
  )
})
