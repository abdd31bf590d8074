import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createOrderReceiptStep, type CreateOrderReceiptStepInput } from "../steps"

export const createOrderReceiptWorkflowId = "create-card-order-receipt"

/**
 * Registers the receipt of the browser checking out a cart: the storefront's server makes a secret when it creates the
 * cart, keeps it in the shopper's httpOnly cookie and registers its hash here; once the cart is an order, the secret
 * opens the order's codes on its confirmation page (`/store/virtual-goods/receipts/*`). One receipt per cart.
 *
 * @summary Register a cart's receipt.
 */
export const createOrderReceiptWorkflow = createWorkflow(createOrderReceiptWorkflowId, (input: CreateOrderReceiptStepInput) => {
  return new WorkflowResponse(createOrderReceiptStep(input))
})
