import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SupplierEvents } from "../../../utils/events"
import { createTopUpOrdersStep } from "../steps/create-top-up-orders"

export type CreateTopUpOrdersWorkflowInput = { order_id: string }
export type CreateTopUpOrdersWorkflowOutput = { ids: string[]; created_ids: string[] }

export const createTopUpOrdersWorkflowId = "create-top-up-orders"

/**
 * Creates the supplier orders of a Medusa order's top-up lines, once per line (a repeat answers the same ids), and
 * announces the new ones.
 *
 * @example
 * const { result } = await createTopUpOrdersWorkflow(container).run({ input: { order_id: "order_123" } })
 *
 * @summary Create the supplier orders of an order's top-up lines.
 */
export const createTopUpOrdersWorkflow = createWorkflow(createTopUpOrdersWorkflowId, (input: CreateTopUpOrdersWorkflowInput) => {
  const created = createTopUpOrdersStep(input)
  when("emit-supplier-orders-created", { created }, ({ created }) => created.created_ids.length > 0).then(() => {
    emitEventStep({
      eventName: SupplierEvents.ORDER_CREATED,
      data: transform({ created, input }, ({ created, input }) => created.created_ids.map((id) => ({ id, order_id: input.order_id }))),
    })
  })
  return new WorkflowResponse(created as unknown as CreateTopUpOrdersWorkflowOutput)
})
