import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

/** A line of an answered wholesale order, as the answer recorded it (amounts as exact decimal strings). */
export type AgentOrderLine = { variant_id: string; pool_id: string | null; components?: { pool_id: string; quantity: number }[]; quantity: number; unit_price: string; title: string; product_title: string | null }

export type AgentOrderBookkeeping = {
  agent_order_id: string
  agent_id: string
  currency_code: string
  /** What the buyer paid (exact decimal string). */
  total: string
  region_id: string
  sales_channel_id: string | null
  customer_id: string | null
  email: string | null
  items: AgentOrderLine[]
  /** The Medusa order recorded by an earlier, interrupted run (null: none yet), and its display id. */
  order_id: string | null
  display_id: number | null
  /** The recorded order still needs its payment (a run was cut off between creating and paying it). */
  needs_payment: boolean
  /**
   * The unpaid payment collection a run cut off between creating and paying it left on the order: paid instead of a
   * second one (next to an unpaid collection, the order never counts as captured).
   */
  unpaid_collection_id: string | null
  linked: boolean
}

export type LoadAgentOrderBookkeepingStepInput = { agent_order_id: string }

type BuyerRow = { id: string; customer?: { id: string; email: string | null } | null }
type VariantChannelsRow = {
  id: string
  product?: { sales_channels?: { id: string; stock_locations?: { id: string }[] }[] } | null
  card_pool?: { stock_location_id: string | null } | null
}
type AgentMedusaOrderRow = { id: string; display_id: number | null; metadata: Record<string, unknown> | null }
type RecordedOrderRow = { id: string; payment_collections?: { id: string; status: string }[]; agent_order?: { id: string } | null }

export const loadAgentOrderBookkeepingStepId = "load-agent-order-bookkeeping"

/**
 * Reads what the bookkeeping of an answered wholesale order needs: null unless its bookkeeping is pending. Picks up
 * after an interrupted run: a Medusa order already created for it (recorded, or found by the agent order id in its
 * metadata and recorded now) is reused, and paid only if it is not.
 *
 * @example
 * const state = loadAgentOrderBookkeepingStep({ agent_order_id: "aord_123" })
 */
export const loadAgentOrderBookkeepingStep = createStep(
  loadAgentOrderBookkeepingStepId,
  async (input: LoadAgentOrderBookkeepingStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const service = agentsModule(container)
    const [order] = await service.listAgentOrders({ id: input.agent_order_id, status: "completed", bookkeeping_status: "pending" }, { take: 1 })
    if (!order) return new StepResponse<AgentOrderBookkeeping | null>(null)
    const { data: buyers } = await query.graph({ entity: "agent", fields: ["id", "customer.id", "customer.email"], filters: { id: order.agent_id } })
    const buyer = buyers[0] as BuyerRow | undefined
    // The lines the answer recorded (`commitOrder`).
    const items = (order.items as AgentOrderLine[] | null) ?? []
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id", "product.sales_channels.id", "product.sales_channels.stock_locations.id", "card_pool.stock_location_id"],
      filters: { id: items.map((i) => i.variant_id) },
    })
    const channelsOf = (v: VariantChannelsRow | undefined) =>
      new Set((v?.product?.sales_channels ?? []).filter((c) => (c.stock_locations ?? []).some((l) => l.id === v?.card_pool?.stock_location_id)).map((c) => c.id))
    const byId = new Map((variants as VariantChannelsRow[]).map((v) => [v.id, v]))
    // Code lines sell where their pool's stock location is; a top-up line (no pool) or a bundle's anywhere its
    // product is sold.
    const coded = items.filter((i) => !!i.pool_id && !i.components)
    const channelSets = (coded.length ? coded : items).map((i) =>
      i.pool_id && !i.components ? channelsOf(byId.get(i.variant_id)) : new Set((byId.get(i.variant_id)?.product?.sales_channels ?? []).map((c) => c.id))
    )
    const shared = channelSets.reduce((a, b) => new Set([...a].filter((id) => b.has(id))))
    const { data: regions } = await query.graph({ entity: "region", fields: ["id"], filters: { currency_code: order.currency_code! } })
    if (!regions.length) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `No region sells in ${String(order.currency_code).toUpperCase()}: agent order ${order.id} cannot be recorded`)
    }
    // A run that died between creating the Medusa order and recording it left the order behind: find it by the agent
    // order it names instead of creating a second one.
    let orderId = order.order_id ?? null
    let displayId = order.display_id ?? null
    if (!orderId) {
      const { data: made } = await query.graph({
        entity: "order",
        fields: ["id", "display_id", "metadata"],
        filters: { metadata: { agent_order_id: order.id } } as Record<string, unknown>,
        pagination: { take: 2 },
      })
      const mine = (made as AgentMedusaOrderRow[]).filter((o) => o.metadata?.agent_order_id === order.id)
      if (mine.length) {
        orderId = mine[0].id
        displayId = mine[0].display_id ?? null
        await service.recordBookkeepingOrder({ id: order.id, order_id: orderId, display_id: displayId })
      }
    }
    let needsPayment = true
    let unpaidCollectionId: string | null = null
    let linked = false
    if (orderId) {
      const { data: recorded } = await query.graph({
        entity: "order",
        fields: ["id", "payment_collections.id", "payment_collections.status", "agent_order.id"],
        filters: { id: orderId },
      })
      const o = recorded[0] as RecordedOrderRow | undefined
      needsPayment = !(o?.payment_collections ?? []).some((pc) => pc.status === "completed" || pc.status === "authorized")
      unpaidCollectionId = (o?.payment_collections ?? []).find((pc) => pc.status === "not_paid" || pc.status === "awaiting")?.id ?? null
      linked = !!o?.agent_order?.id
    }
    return new StepResponse<AgentOrderBookkeeping | null>({
      agent_order_id: order.id,
      agent_id: order.agent_id,
      currency_code: order.currency_code!,
      total: order.total!,
      region_id: (regions[0] as { id: string }).id,
      sales_channel_id: [...shared].sort()[0] ?? null,
      customer_id: buyer?.customer?.id ?? null,
      email: buyer?.customer?.email ?? null,
      items,
      order_id: orderId,
      display_id: displayId,
      needs_payment: needsPayment,
      unpaid_collection_id: unpaidCollectionId,
      linked,
    })
  }
)
