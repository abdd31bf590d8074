import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type FindOrderForLookupStepInput = { email: string; display_id: number }

export const findOrderForLookupStepId = "find-card-order-for-lookup"

/**
 * A guest's order lookup: the order with this number whose email is this one (case aside) and which holds delivered
 * codes — else null. Read-only; the caller answers the same either way.
 */
export const findOrderForLookupStep = createStep(findOrderForLookupStepId, async (input: FindOrderForLookupStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  // display_id is a number column; the generated graph types (after `medusa develop`) call it a string filter.
  const filters: Record<string, unknown> = { display_id: input.display_id }
  const { data } = await query.graph({ entity: "order", fields: ["id", "email"], filters })
  const order = (data as { id: string; email: string | null }[]).find(
    (o) => (o.email ?? "").trim().toLowerCase() === input.email.trim().toLowerCase()
  )
  if (!order) return new StepResponse({ order_id: null as string | null })
  const vault = cardVaultModule(container)
  const codes = await vault.listCardCodes({ order_id: order.id, status: ["delivered", "revealed"] }, { select: ["id"], take: 1 })
  return new StepResponse({ order_id: codes.length ? order.id : null })
})
