import { createHook, createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CheckoutCart, runRegisteredCheckoutChecksStep } from "../steps/run-registered-checkout-checks"

export type CheckVirtualGoodsCheckoutWorkflowInput = { cart: CheckoutCart }

export const checkVirtualGoodsCheckoutWorkflowId = "check-virtual-goods-checkout"

/**
 * A host app's checks of a checkout, run by the plugin's cart-completion validation after the risk rules and before
 * any code is reserved (Medusa allows one handler per hook, and the plugin owns `completeCartWorkflow.hooks.validate`,
 * so this workflow gives hosts a hook of their own). Its `checkoutCheck` hook receives the cart; throw — ideally a
 * `MedusaError` — to refuse the checkout: nothing is reserved and no order is placed.
 *
 * @example
 * // src/workflows/hooks/checkout-check.ts in the host app
 * import { checkVirtualGoodsCheckoutWorkflow } from "medusa-virtual-goods/workflows"
 * checkVirtualGoodsCheckoutWorkflow.hooks.checkoutCheck(async ({ cart }) => {
 *   if (!cart.email?.endsWith("@example.com")) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Staff only")
 * })
 *
 * @summary A host app's checks of a virtual-goods checkout.
 */
export const checkVirtualGoodsCheckoutWorkflow = createWorkflow(
  checkVirtualGoodsCheckoutWorkflowId,
  (input: CheckVirtualGoodsCheckoutWorkflowInput) => {
    runRegisteredCheckoutChecksStep(input)
    const checkoutCheck = createHook("checkoutCheck", { cart: input.cart })
    return new WorkflowResponse(void 0, { hooks: [checkoutCheck] })
  }
)
