import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { orderPaymentFacts } from "../utils/order-payment"
import { suppliersModule } from "../utils/suppliers-module"

export type DescribeTopUpResultStepInput = { supplier_order_id: string }

export const describeTopUpResultStepId = "describe-top-up-result"

/**
 * What the customer is told about a top-up that succeeded: the order's email and number, the product and the masked
 * recipient. Null for anything else (another kind, not succeeded, no Medusa order). Reads only.
 */
export const describeTopUpResultStep = createStep(describeTopUpResultStepId, async (input: DescribeTopUpResultStepInput, { container }) => {
  const suppliers = suppliersModule(container)
  const row = await suppliers.retrieveSupplierOrderRow(input.supplier_order_id)
  if (row.kind !== "topup" || row.status !== "succeeded" || !row.order_id) return new StepResponse(null)
  const facts = await orderPaymentFacts(container, row.order_id)
  if (!facts?.email) return new StepResponse(null)
  const product = await suppliers.retrieveSupplierProduct(row.supplier_product_id, { select: ["name"] })
  return new StepResponse({
    id: row.id,
    email: facts.email,
    order_id: row.order_id,
    data: { order_id: row.order_id, display_id: facts.display_id, product: product.name, recipient: row.recipient_masked },
  })
})
