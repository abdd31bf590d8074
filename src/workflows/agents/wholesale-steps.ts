import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentUnitPrices } from "../../lib/agent-pricing"
import { AGENTS_MODULE } from "../../modules/agents"
import type AgentsModuleService from "../../modules/agents/service"
import { toAmount } from "../../modules/agents/service"
import { CARD_VAULT_MODULE } from "../../modules/card-vault"
import type CardVaultModuleService from "../../modules/card-vault/service"
import { RISK_MODULE } from "../../modules/risk"
import type RiskModuleService from "../../modules/risk/service"

const agents = (container: any): AgentsModuleService => container.resolve(AGENTS_MODULE)
const vault = (container: any): CardVaultModuleService => container.resolve(CARD_VAULT_MODULE)

/** The vault key a wholesale order's codes are reserved under until its Medusa order exists. */
export const wholesaleReservationKey = (agentOrderId: string) => `wholesale:${agentOrderId}`

/** Claims the agent's Idempotency-Key (see the module's `beginOrder`). Compensation frees a key this run claimed. */
export const beginAgentOrderStep = createStep(
  "begin-agent-order",
  async (input: { agent_id: string; idempotency_key: string; request_hash: string }, { container }) => {
    const begun = await agents(container).beginOrder(input)
    return new StepResponse(begun, begun.created ? begun.id : null)
  },
  async (id, { container }) => {
    if (!id) return
    await agents(container).abandonOrder(id)
  }
)

export type WholesaleOrderLine = {
  variant_id: string
  pool_id: string
  quantity: number
  title: string
  product_title: string | null
  /** What the buyer pays per code (exact decimal string). */
  unit_price: string
  /** The unit price of the buyer and of every agent above it, for the commissions. */
  unit_prices: Record<string, string>
  inventory_item_id: string | null
  location_id: string | null
}

export type WholesaleOrderPlan = {
  agent_id: string
  /** The buyer, then its parent, … up to the top agent. */
  chain: string[]
  currency_code: string
  region_id: string
  /** A sales channel of the products that reaches the pools' stock location (the order is recorded in it). */
  sales_channel_id: string | null
  customer_id: string | null
  email: string | null
  lines: WholesaleOrderLine[]
}

/**
 * Reads what a wholesale order needs and checks it (reads only): the agent is active; every variant is sold from a
 * card pool and has a price in the agent's currency for the agent (its tier's price list through Medusa's pricing)
 * and for every agent above it; a region sells in that currency. Errors name the item.
 */
export const prepareAgentOrderStep = createStep(
  "prepare-agent-order",
  async (input: { agent_id: string; items: { variant_id: string; quantity: number }[] }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const service = agents(container)
    const chain = [input.agent_id, ...(await service.ancestorsOf(input.agent_id))]
    const { data: chainAgents } = await query.graph({
      entity: "agent",
      fields: ["id", "status", "customer_group_id", "customer.id", "customer.email"],
      filters: { id: chain },
    })
    const byId = new Map((chainAgents as any[]).map((a) => [a.id, a]))
    const buyer = byId.get(input.agent_id)
    if (!buyer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.agent_id} was not found`)
    if (buyer.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${input.agent_id} is frozen`)
    const [account] = await service.balances([input.agent_id])
    if (!account) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${input.agent_id} has no account`)
    const currency = account.currency_code

    const variantIds = [...new Set(input.items.map((i) => i.variant_id))]
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: [
        "id",
        "title",
        "manage_inventory",
        "product.title",
        "product.sales_channels.id",
        "product.sales_channels.stock_locations.id",
        "card_pool.id",
        "card_pool.stock_location_id",
        "inventory_items.inventory_item_id",
      ],
      filters: { id: variantIds },
    })
    const variantOf = new Map((variants as any[]).map((v) => [v.id, v]))
    const prices = await agentUnitPrices(container, {
      variant_ids: variantIds,
      currency_code: currency,
      tiers: chain.map((id) => byId.get(id)?.customer_group_id ?? null),
    })
    const lines: WholesaleOrderLine[] = input.items.map((item, i) => {
      const variant = variantOf.get(item.variant_id)
      if (!variant) throw new MedusaError(MedusaError.Types.NOT_FOUND, `items[${i}].variant_id: variant ${item.variant_id} was not found`)
      if (!variant.card_pool?.id) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `items[${i}].variant_id: variant ${item.variant_id} is not sold from a card pool`)
      }
      const unit_prices: Record<string, string> = {}
      for (const id of chain) {
        const price = prices.get(item.variant_id)?.get(byId.get(id)?.customer_group_id ?? null)
        if (price === null || price === undefined) {
          throw new MedusaError(
            MedusaError.Types.NOT_ALLOWED,
            `items[${i}]: variant ${item.variant_id} has no price in ${currency.toUpperCase()} for agent ${id}`
          )
        }
        unit_prices[id] = toAmount(String(price), `price of variant ${item.variant_id} for agent ${id}`)
      }
      return {
        variant_id: item.variant_id,
        pool_id: variant.card_pool.id,
        quantity: item.quantity,
        title: variant.title,
        product_title: variant.product?.title ?? null,
        unit_price: unit_prices[input.agent_id],
        unit_prices,
        inventory_item_id: variant.manage_inventory ? (variant.inventory_items?.[0]?.inventory_item_id ?? null) : null,
        location_id: variant.card_pool.stock_location_id ?? null,
      }
    })

    // The order's sales channel: one every line's product is sold in that reaches the line's stock location.
    const channelsOf = (variantId: string) =>
      new Set<string>(
        (variantOf.get(variantId)?.product?.sales_channels ?? [])
          .filter((c: any) => (c.stock_locations ?? []).some((l: any) => l.id === variantOf.get(variantId)?.card_pool?.stock_location_id))
          .map((c: any) => c.id)
      )
    const shared = lines.map((l) => channelsOf(l.variant_id)).reduce((a, b) => new Set([...a].filter((id) => b.has(id))))
    const salesChannelId = [...shared].sort()[0] ?? null

    const { data: regions } = await query.graph({ entity: "region", fields: ["id"], filters: { currency_code: currency } })
    if (!regions.length) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `No region sells in ${currency.toUpperCase()}: agent orders in it cannot be recorded`)
    }
    return new StepResponse<WholesaleOrderPlan>({
      agent_id: input.agent_id,
      chain,
      currency_code: currency,
      region_id: (regions[0] as any).id,
      sales_channel_id: salesChannelId,
      customer_id: buyer.customer?.id ?? null,
      email: buyer.customer?.email ?? null,
      lines,
    })
  }
)

const summaryOf = (plan: WholesaleOrderPlan) =>
  plan.lines.map((l) => ({
    variant_id: l.variant_id,
    pool_id: l.pool_id,
    quantity: l.quantity,
    unit_price: l.unit_price,
    title: l.title,
    product_title: l.product_title,
  }))

/** Records the order's plan (lines at their prices, agent chain, currency) on the agent order. Writes only that row. */
export const recordAgentOrderPlanStep = createStep(
  "record-agent-order-plan",
  async (input: { agent_order_id: string; plan: WholesaleOrderPlan }, { container }) => {
    await agents(container).recordOrderProgress(input.agent_order_id, {
      items: summaryOf(input.plan),
      agent_chain: input.plan.chain,
      currency_code: input.plan.currency_code,
    })
    return new StepResponse(void 0)
  }
)

/**
 * Records the Medusa order on the agent order (for recovery) and on its risk decision (a review then holds that
 * order's delivery). Compensation forgets it on the agent order again.
 */
export const recordAgentMedusaOrderStep = createStep(
  "record-agent-medusa-order",
  async (input: { agent_order_id: string; order_id: string; display_id: number | null }, { container }) => {
    await agents(container).recordOrderProgress(input.agent_order_id, { order_id: input.order_id, display_id: input.display_id })
    await (container.resolve(RISK_MODULE) as RiskModuleService).attachOrder({ subject_type: "agent_order", subject_id: input.agent_order_id, order_id: input.order_id })
    return new StepResponse(void 0, input.agent_order_id)
  },
  async (id, { container }) => {
    if (!id) return
    await agents(container).recordOrderProgress(id, { order_id: null, display_id: null })
  }
)

/**
 * Consumes the agent's quotas for the order's variants, each in one conditional UPDATE; when one is exceeded, what was
 * consumed before it is given back before the error (a failing step gets no compensation). Compensation gives all back.
 */
export const consumeAgentQuotasStep = createStep(
  "consume-agent-quotas",
  async (input: { agent_order_id: string; agent_id: string; lines: { variant_id: string; quantity: number }[] }, { container }) => {
    const service = agents(container)
    const wanted = new Map<string, number>()
    for (const l of input.lines) wanted.set(l.variant_id, (wanted.get(l.variant_id) ?? 0) + l.quantity)
    const consumed: { agent_id: string; variant_id: string; quantity: number }[] = []
    try {
      for (const [variant_id, quantity] of wanted) {
        const result = await service.consumeQuota({ agent_id: input.agent_id, variant_id, quantity })
        if (result.limited) consumed.push({ agent_id: input.agent_id, variant_id, quantity })
      }
    } catch (e) {
      for (const c of consumed) await service.releaseQuota(c)
      throw e
    }
    if (consumed.length) await service.recordOrderProgress(input.agent_order_id, { quota_consumed: consumed })
    return new StepResponse({ consumed: consumed.length }, { agent_order_id: input.agent_order_id, consumed })
  },
  async (data, { container }) => {
    if (!data?.consumed.length) return
    for (const c of data.consumed) await agents(container).releaseQuota(c)
    await agents(container).recordOrderProgress(data.agent_order_id, { quota_consumed: null })
  }
)

/** Reserves the order's codes in the vault (all pools or nothing). Compensation returns them to stock. */
export const reserveAgentOrderCodesStep = createStep(
  "reserve-agent-order-codes",
  async (input: { agent_order_id: string; agent_id: string; lines: { pool_id: string; quantity: number }[] }, { container }) => {
    const key = wholesaleReservationKey(input.agent_order_id)
    const { reserved_code_ids } = await vault(container).reserveForCart({
      cart_id: key,
      items: input.lines.map((l) => ({ pool_id: l.pool_id, quantity: l.quantity })),
      actor: { type: "agent", id: input.agent_id },
    })
    return new StepResponse({ reserved: reserved_code_ids.length }, key)
  },
  async (key, { container }) => {
    if (!key) return
    await vault(container).releaseReservations({ cart_id: key, reason: "agent order failed" })
  }
)

/**
 * Debits the buyer and credits the commissions of the agents above it and the house, as one ledger transaction (an
 * overdraft refuses all of it). Compensation posts the exact reverse.
 */
export const postAgentPurchaseStep = createStep(
  "post-agent-purchase",
  async (input: { agent_order_id: string; plan: WholesaleOrderPlan }, { container }) => {
    const posted = await agents(container).postPurchase({
      buyer_agent_id: input.plan.agent_id,
      currency_code: input.plan.currency_code,
      lines: input.plan.lines.map((l, i) => ({ quantity: l.quantity, unit_prices: l.unit_prices, label: `items[${i}] (${l.variant_id})` })),
      reference_type: "agent_order",
      reference_id: input.agent_order_id,
      actor: { type: "agent", id: input.plan.agent_id },
    })
    await agents(container).recordOrderProgress(input.agent_order_id, { transaction_id: posted.transaction_id, total: posted.total })
    return new StepResponse({ transaction_id: posted.transaction_id, total: posted.total }, { agent_order_id: input.agent_order_id, transaction_id: posted.transaction_id })
  },
  async (data, { container }) => {
    if (!data) return
    await agents(container).reverseTransaction({ transaction_id: data.transaction_id, note: "agent order failed", actor: { type: "system" } })
    await agents(container).recordOrderProgress(data.agent_order_id, { transaction_id: null, total: null })
  }
)

/**
 * Judges the order with the risk rules (channel `wholesale`: the agent, its customer's email, the client IP, amount and
 * codes). `block` refuses it (400; everything before is undone); `review` lets it be placed and paid while its codes
 * wait for an admin. The decision is recorded once per agent order.
 */
export const assessAgentOrderRiskStep = createStep(
  "assess-agent-order-risk",
  async (input: { agent_order_id: string; plan: WholesaleOrderPlan; ip: string | null }, { container }) => {
    const risk = container.resolve(RISK_MODULE) as RiskModuleService
    const amount = input.plan.lines.reduce((sum, l) => sum + Number(l.unit_price) * l.quantity, 0)
    const decision = await risk.assess({
      subject_type: "agent_order",
      subject_id: input.agent_order_id,
      facts: {
        channel: "wholesale",
        agent_id: input.plan.agent_id,
        customer_id: input.plan.customer_id,
        email: input.plan.email,
        ip: input.ip,
        amount: Math.round(amount * 10_000) / 10_000,
        quantity: input.plan.lines.reduce((n, l) => n + l.quantity, 0),
        first_purchase: false,
      },
    })
    if (decision.action === "block") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "This order was refused by risk control. Contact the store if you think this is a mistake.")
    }
    return new StepResponse({ action: decision.action })
  }
)

/** Fails unless delivery bound every code of the order (the order would otherwise be recorded without its codes). */
export const assertAgentOrderDeliveredStep = createStep(
  "assert-agent-order-delivered",
  async (input: { order_id: string; status: string }) => {
    if (input.status !== "delivered" && input.status !== "held_for_review") {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Order ${input.order_id} could not be delivered (${input.status})`)
    }
    return new StepResponse(void 0)
  }
)

/** Queues the `agent_order.completed` webhook (when the agent has a URL). Compensation removes it unsent. */
export const queueAgentWebhookStep = createStep(
  "queue-agent-webhook",
  async (input: { agent_id: string; event: string; payload: Record<string, unknown> }, { container }) => {
    const queued = await agents(container).queueWebhook(input)
    return new StepResponse({ id: queued?.id ?? null }, queued?.id ?? null)
  },
  async (id, { container }) => {
    if (!id) return
    await agents(container).discardWebhook(id)
  }
)

/** Records the wholesale order as complete: a replay of its key answers from here on. Last step, nothing to undo. */
export const completeAgentOrderStep = createStep(
  "complete-agent-order",
  async (
    input: { agent_order_id: string; order_id: string; display_id: number | null; plan: WholesaleOrderPlan; transaction_id: string; total: string },
    { container }
  ) => {
    await agents(container).completeOrder({
      id: input.agent_order_id,
      order_id: input.order_id,
      display_id: input.display_id,
      currency_code: input.plan.currency_code,
      total: input.total,
      items: summaryOf(input.plan),
      agent_chain: input.plan.chain,
      transaction_id: input.transaction_id,
    })
    return new StepResponse({ agent_order_id: input.agent_order_id })
  }
)
