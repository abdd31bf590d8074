import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type BindAgentOrderCodesStepInput = {
  agent_order_id: string
  /** The Medusa order whose lines get the codes. */
  order_id: string
  /** The pool each variant's codes came from (null: a top-up line, which has none). */
  items: { pool_id: string | null; variant_id: string; components?: { pool_id: string; quantity: number }[] }[]
}

type OrderLinesRow = { id: string; items?: { id: string; variant_id: string | null }[] | null }

export const bindAgentOrderCodesStepId = "bind-agent-order-codes"

/**
 * Moves the codes the agent got with its answer (delivered to the agent order) onto the lines of the Medusa order, by
 * pool. Compensation moves them back to the agent order.
 *
 * @example
 * const { code_ids } = bindAgentOrderCodesStep({ agent_order_id: "aord_123", order_id: "order_123", items })
 */
export const bindAgentOrderCodesStep = createStep(
  bindAgentOrderCodesStepId,
  async (input: BindAgentOrderCodesStepInput, { container }) => {
    const { data } = await container
      .resolve(ContainerRegistrationKeys.QUERY)
      .graph({ entity: "order", fields: ["id", "items.id", "items.variant_id"], filters: { id: input.order_id } })
    const lines = ((data[0] as OrderLinesRow | undefined)?.items ?? []).flatMap((item) => {
      const line = input.items.find((i) => i.variant_id === item.variant_id)
      // A bundle's line gets the codes of every component.
      const pools = line?.components ? line.components.map((c) => c.pool_id) : line?.pool_id ? [line.pool_id] : []
      return pools.map((pool) => ({ pool_id: pool, line_item_id: item.id }))
    })
    const vault = cardVaultModule(container)
    const { code_ids } = await vault.bindOwnerCodes({ from_owner_id: input.agent_order_id, order_id: input.order_id, lines })
    return new StepResponse({ code_ids }, { agent_order_id: input.agent_order_id, order_id: input.order_id, code_ids })
  },
  async (bound, { container }) => {
    if (!bound?.code_ids.length) return
    const vault = cardVaultModule(container)
    await vault.unbindOwnerCodes({ order_id: bound.order_id, to_owner_id: bound.agent_order_id, code_ids: bound.code_ids })
  }
)
