import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { LRUCache } from "lru-cache"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentUnitPrices } from "../../lib/agent-pricing"
import { AGENTS_MODULE } from "../../modules/agents"
import type AgentsModuleService from "../../modules/agents/service"
import { fromMinor, toAmount, toMinor } from "../../modules/agents/service"
import { CARD_VAULT_MODULE } from "../../modules/card-vault"
import type CardVaultModuleService from "../../modules/card-vault/service"
import { RISK_MODULE } from "../../modules/risk"
import type RiskModuleService from "../../modules/risk/service"

const agents = (container: any): AgentsModuleService => container.resolve(AGENTS_MODULE)
const vault = (container: any): CardVaultModuleService => container.resolve(CARD_VAULT_MODULE)

/** The vault key a wholesale order's codes are reserved under until its Medusa order exists. */
export const wholesaleReservationKey = (agentOrderId: string) => `wholesale:${agentOrderId}`

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
}

export type WholesaleOrderPlan = {
  agent_id: string
  /** The buyer, then its parent, … up to the top agent. */
  chain: string[]
  currency_code: string
  customer_id: string | null
  email: string | null
  lines: WholesaleOrderLine[]
}

/** What an agent pays for a set of variants, and who it is: everything a wholesale order reads before its transaction. */
type AgentOffer = {
  chain: string[]
  currency_code: string
  customer_id: string | null
  email: string | null
  /** Each variant asked for: what it costs along the chain, or why it is not offered (never cached). */
  variants: Map<string, OfferedVariant | { refused: "not_found" | "not_from_pool" | "unpriced"; agent_id?: string }>
  /** No region sells in the agent's currency: its orders could not be recorded (never cached). */
  region_missing: boolean
}

type OfferedVariant = { pool_id: string; title: string; product_title: string | null; unit_prices: Record<string, string> }

const offerTtlMs = () => {
  const raw = process.env.VIRTUAL_GOODS_WHOLESALE_OFFER_TTL_MS
  const ms = raw === undefined || raw === "" ? 2000 : Number(raw)
  return Number.isFinite(ms) && ms >= 0 ? Math.trunc(ms) : 2000
}

/**
 * Offers read in the last moments (VIRTUAL_GOODS_WHOLESALE_OFFER_TTL_MS, 2 s by default; 0 turns it off), by agent
 * and variant set: an agent's repeated orders skip the reads of Medusa's pricing, products and links. A change of a
 * price list, a tier or a pool link reaches wholesale answers within that time. What must be exact is not taken from
 * here: the agent's status (its key's check), balance and credit, quota, stock and the price floor are all decided in
 * the order's transaction.
 */
const offers = new LRUCache<string, AgentOffer>({ max: 10_000, ttl: Math.max(1, offerTtlMs()), ttlAutopurge: false })

async function readOffer(container: MedusaContainer, agentId: string, variantIds: string[]): Promise<AgentOffer> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const service = agents(container)
  // Independent reads at once: on every wholesale answer's path when the offer is not cached.
  const [ancestors, [account], { data: variants }] = await Promise.all([
    service.ancestorsOf(agentId),
    service.balances([agentId]),
    query.graph({ entity: "product_variant", fields: ["id", "title", "product.title", "card_pool.id"], filters: { id: variantIds } }),
  ])
  const chain = [agentId, ...ancestors]
  const { data: chainAgents } = await query.graph({
    entity: "agent",
    fields: ["id", "status", "customer_group_id", "customer.id", "customer.email"],
    filters: { id: chain },
  })
  type ChainAgent = { id: string; status: string; customer_group_id: string | null; customer?: { id: string; email: string | null } | null }
  const byId = new Map((chainAgents as ChainAgent[]).map((a) => [a.id, a]))
  const buyer = byId.get(agentId)
  if (!buyer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${agentId} was not found`)
  if (buyer.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${agentId} is frozen`)
  if (!account) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${agentId} has no account`)
  const currency = account.currency_code

  type OfferVariant = { id: string; title: string; product?: { title: string | null } | null; card_pool?: { id: string } | null }
  const variantOf = new Map((variants as OfferVariant[]).map((v) => [v.id, v]))
  const [prices, { data: regions }] = await Promise.all([
    agentUnitPrices(container, {
      variant_ids: variantIds,
      currency_code: currency,
      tiers: chain.map((id) => byId.get(id)?.customer_group_id ?? null),
    }),
    query.graph({ entity: "region", fields: ["id"], filters: { currency_code: currency } }),
  ])
  const offered: AgentOffer["variants"] = new Map()
  for (const id of variantIds) {
    const variant = variantOf.get(id)
    if (!variant) offered.set(id, { refused: "not_found" })
    else if (!variant.card_pool?.id) offered.set(id, { refused: "not_from_pool" })
    else {
      const unit_prices: Record<string, string> = {}
      const unpriced = chain.find((agent) => {
        const price = prices.get(id)?.get(byId.get(agent)?.customer_group_id ?? null)
        if (price === null || price === undefined) return true
        unit_prices[agent] = toAmount(String(price), `price of variant ${id} for agent ${agent}`)
        return false
      })
      offered.set(
        id,
        unpriced ? { refused: "unpriced", agent_id: unpriced } : { pool_id: variant.card_pool.id, title: variant.title, product_title: variant.product?.title ?? null, unit_prices }
      )
    }
  }
  const offer: AgentOffer = {
    chain,
    currency_code: currency,
    customer_id: buyer.customer?.id ?? null,
    email: buyer.customer?.email ?? null,
    variants: offered,
    region_missing: !regions.length,
  }
  // Only a complete offer is kept: whatever refuses an order is told from a fresh read.
  if (!offer.region_missing && [...offered.values()].every((v) => !("refused" in v)) && offerTtlMs() > 0) offers.set(offerKey(agentId, variantIds), offer)
  return offer
}

const offerKey = (agentId: string, variantIds: string[]) => `${agentId}|${[...variantIds].sort().join(",")}`

/**
 * Reads what a wholesale order needs and checks it (reads only): the agent is active; every variant is sold from a
 * card pool and has a price in the agent's currency for the agent (its tier's price list through Medusa's pricing)
 * and for every agent above it; a region sells in that currency. Errors name the item. Repeated orders of an agent
 * take these reads from the last moments' offers (see `offers`).
 */
export async function prepareAgentOrder(
  container: MedusaContainer,
  input: { agent_id: string; items: { variant_id: string; quantity: number }[] }
): Promise<WholesaleOrderPlan> {
  const variantIds = [...new Set(input.items.map((i) => i.variant_id))]
  const offer = offers.get(offerKey(input.agent_id, variantIds)) ?? (await readOffer(container, input.agent_id, variantIds))
  const lines: WholesaleOrderLine[] = input.items.map((item, i) => {
    const variant = offer.variants.get(item.variant_id)
    if (!variant || "refused" in variant) {
      if (variant?.refused === "not_from_pool") {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `items[${i}].variant_id: variant ${item.variant_id} is not sold from a card pool`)
      }
      if (variant?.refused === "unpriced") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `items[${i}]: variant ${item.variant_id} has no price in ${offer.currency_code.toUpperCase()} for agent ${variant.agent_id}`
        )
      }
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `items[${i}].variant_id: variant ${item.variant_id} was not found`)
    }
    return {
      variant_id: item.variant_id,
      pool_id: variant.pool_id,
      quantity: item.quantity,
      title: variant.title,
      product_title: variant.product_title,
      unit_price: variant.unit_prices[input.agent_id],
      unit_prices: variant.unit_prices,
    }
  })
  if (offer.region_missing) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `No region sells in ${offer.currency_code.toUpperCase()}: agent orders in it cannot be recorded`)
  }
  return {
    agent_id: input.agent_id,
    chain: offer.chain,
    currency_code: offer.currency_code,
    customer_id: offer.customer_id,
    email: offer.email,
    lines,
  }
}

const summaryOf = (plan: WholesaleOrderPlan) =>
  plan.lines.map((l) => ({
    variant_id: l.variant_id,
    pool_id: l.pool_id,
    quantity: l.quantity,
    unit_price: l.unit_price,
    title: l.title,
    product_title: l.product_title,
  }))

/** What the buyer pays for the plan (exact decimal string). */
const planTotal = (plan: WholesaleOrderPlan) => fromMinor(plan.lines.reduce((sum, l) => sum + toMinor(l.unit_price) * BigInt(l.quantity), 0n))

export type AgentOrderKey = { agent_id: string; idempotency_key: string; request_hash: string }

/**
 * Looks an Idempotency-Key up before any work (reads only): a completed order with the same body is replayed as it is,
 * the same key with another body is refused (422). Otherwise `null`: the order is to be placed.
 */
export async function findAgentOrder(container: MedusaContainer, input: AgentOrderKey): Promise<{ id: string } | null> {
  const existing = await agents(container).findOrderByKey({ agent_id: input.agent_id, idempotency_key: input.idempotency_key })
  if (!existing) return null
  if (existing.request_hash !== input.request_hash) {
    throw new MedusaError(
      MedusaError.Types.DUPLICATE_ERROR,
      `Idempotency-Key ${JSON.stringify(input.idempotency_key)} was already used with a different request body`
    )
  }
  // A row still processing (a concurrent duplicate): the key's own claim in the transaction waits for it.
  return existing.status === "completed" ? { id: existing.id } : null
}

/**
 * Places a wholesale order in ONE database transaction (every module call gets its context): the Idempotency-Key (a
 * concurrent duplicate waits for this transaction, then replays it), the risk decision (`block` refuses: nothing is
 * kept; `review` holds the codes), the quotas (conditional UPDATEs), the codes (claimed and delivered to the agent
 * order, or held), the ledger posting with the commissions and the price floor, and the agent order itself — answered,
 * with its bookkeeping (the Medusa order) pending for the worker. All of it commits or none of it does, so there is
 * nothing to compensate: an answered order is final (refunds are the admin's). Ids and amounts only, never a code.
 */
async function commitAgentOrder(
  container: MedusaContainer,
  input: { key: AgentOrderKey; plan: WholesaleOrderPlan; ip: string | null }
): Promise<{ agent_order_id: string; created: boolean; held: boolean; order: AgentOrderSummary | null }> {
  const service = agents(container)
  const risk = container.resolve(RISK_MODULE) as RiskModuleService
  const { plan } = input
  const placed = await service.runInTransaction(async (ctx) => {
    const begun = await service.beginOrder(input.key, ctx)
    if (!begun.created) return { agent_order_id: begun.id, created: false, held: false, order: null }
    const decision = await risk.assess(
      {
        subject_type: "agent_order",
        subject_id: begun.id,
        new_subject: true,
        facts: {
          channel: "wholesale",
          agent_id: plan.agent_id,
          customer_id: plan.customer_id,
          email: plan.email,
          ip: input.ip,
          amount: Number(planTotal(plan)),
          quantity: plan.lines.reduce((n, l) => n + l.quantity, 0),
          first_purchase: false,
        },
      },
      ctx
    )
    if (decision.action === "block") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "This order was refused by risk control. Contact the store if you think this is a mistake.")
    }
    const wanted = new Map<string, number>()
    for (const l of plan.lines) wanted.set(l.variant_id, (wanted.get(l.variant_id) ?? 0) + l.quantity)
    const consumed: { agent_id: string; variant_id: string; quantity: number }[] = []
    for (const [variant_id, quantity] of wanted) {
      const quota = await service.consumeQuota({ agent_id: plan.agent_id, variant_id, quantity }, ctx)
      if (quota.limited) consumed.push({ agent_id: plan.agent_id, variant_id, quantity })
    }
    const held = decision.action === "review"
    await vault(container).claimForOwner(
      {
        key: wholesaleReservationKey(begun.id),
        owner_id: begun.id,
        items: plan.lines.map((l) => ({ pool_id: l.pool_id, quantity: l.quantity })),
        hold: held,
        actor: { type: "agent", id: plan.agent_id, ip: input.ip },
      },
      ctx
    )
    const posted = await service.postPurchase(
      {
        buyer_agent_id: plan.agent_id,
        currency_code: plan.currency_code,
        lines: plan.lines.map((l, i) => ({ quantity: l.quantity, unit_prices: l.unit_prices, label: `items[${i}] (${l.variant_id})` })),
        reference_type: "agent_order",
        reference_id: begun.id,
        actor: { type: "agent", id: plan.agent_id },
      },
      ctx
    )
    const committed = await service.commitOrder(
      {
        id: begun.id,
        currency_code: plan.currency_code,
        total: posted.total,
        items: summaryOf(plan),
        agent_chain: plan.chain,
        transaction_id: posted.transaction_id,
        quota_consumed: consumed.length ? consumed : null,
      },
      ctx
    )
    return { agent_order_id: begun.id, created: true, held, order: committed }
  })
  return placed
}

/** An answered agent order as recorded (no codes): enough to answer the agent without reading it again. */
export type AgentOrderSummary = Awaited<ReturnType<AgentsModuleService["commitOrder"]>>

export type PlaceAgentOrderStepOutput = {
  agent_order_id: string
  /** The key was used before with the same body: nothing was done again. */
  replayed: boolean
  /** A new order whose codes are held for a risk review. */
  held: boolean
  /** The new order as recorded (null for a replay). */
  order: AgentOrderSummary | null
}

/**
 * A wholesale order, in one step: the Idempotency-Key looked up first (a used key with the same body is replayed as
 * it is — even if the prices changed since — and with another body refused, 422), then the reads (`prepareAgentOrder`),
 * then the ONE transaction (`commitAgentOrder`). Nothing to compensate: the transaction commits all or nothing, and an
 * answered order is final (refunds are the admin's). Ids, amounts and titles only — never a code.
 */
export const placeAgentOrderStep = createStep(
  "answer-agent-order",
  async (input: { key: AgentOrderKey; items: { variant_id: string; quantity: number }[]; ip: string | null }, { container }) => {
    const existing = await findAgentOrder(container, input.key)
    if (existing) return new StepResponse<PlaceAgentOrderStepOutput>({ agent_order_id: existing.id, replayed: true, held: false, order: null })
    const plan = await prepareAgentOrder(container, { agent_id: input.key.agent_id, items: input.items })
    const placed = await commitAgentOrder(container, { key: input.key, plan, ip: input.ip })
    return new StepResponse<PlaceAgentOrderStepOutput>({ agent_order_id: placed.agent_order_id, replayed: !placed.created, held: placed.held, order: placed.order })
  }
)

export type AgentOrderBookkeeping = {
  agent_order_id: string
  agent_id: string
  currency_code: string
  total: string
  region_id: string
  sales_channel_id: string | null
  customer_id: string | null
  email: string | null
  items: { variant_id: string; pool_id: string; quantity: number; unit_price: string; title: string; product_title: string | null }[]
  /** The Medusa order recorded by an earlier, interrupted run (null: none yet), and its display id. */
  order_id: string | null
  display_id: number | null
  /** The recorded order still needs its payment (a run was cut off between creating and paying it). */
  needs_payment: boolean
  linked: boolean
}

/**
 * Reads what the bookkeeping of an answered wholesale order needs: null unless its bookkeeping is pending. Picks up
 * after an interrupted run: a Medusa order already created for it (recorded, or found by the agent order id in its
 * metadata and recorded now) is reused, and paid only if it is not.
 */
export const loadAgentOrderBookkeepingStep = createStep(
  "load-agent-order-bookkeeping",
  async (input: { agent_order_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const [order] = await agents(container).listAgentOrders({ id: input.agent_order_id, status: "completed", bookkeeping_status: "pending" }, { take: 1 })
    if (!order) return new StepResponse<AgentOrderBookkeeping | null>(null)
    const { data: buyers } = await query.graph({ entity: "agent", fields: ["id", "customer.id", "customer.email"], filters: { id: order.agent_id } })
    const buyer = buyers[0] as { customer?: { id: string; email: string | null } | null } | undefined
    const items = (order.items as unknown as AgentOrderBookkeeping["items"]) ?? []
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id", "product.sales_channels.id", "product.sales_channels.stock_locations.id", "card_pool.stock_location_id"],
      filters: { id: items.map((i) => i.variant_id) },
    })
    type VariantChannels = { id: string; product?: { sales_channels?: { id: string; stock_locations?: { id: string }[] }[] }; card_pool?: { stock_location_id: string | null } | null }
    const channelsOf = (v: VariantChannels | undefined) =>
      new Set((v?.product?.sales_channels ?? []).filter((c) => (c.stock_locations ?? []).some((l) => l.id === v?.card_pool?.stock_location_id)).map((c) => c.id))
    const byId = new Map((variants as VariantChannels[]).map((v) => [v.id, v]))
    const shared = items.map((i) => channelsOf(byId.get(i.variant_id))).reduce((a, b) => new Set([...a].filter((id) => b.has(id))))
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
      const mine = (made as { id: string; display_id: number | null; metadata: Record<string, unknown> | null }[]).filter(
        (o) => o.metadata?.agent_order_id === order.id
      )
      if (mine.length) {
        orderId = mine[0].id
        displayId = mine[0].display_id ?? null
        await agents(container).recordBookkeepingOrder({ id: order.id, order_id: orderId, display_id: displayId })
      }
    }
    let needsPayment = true
    let linked = false
    if (orderId) {
      const { data: recorded } = await query.graph({
        entity: "order",
        fields: ["id", "payment_collections.status", "agent_order.id"],
        filters: { id: orderId },
      })
      const o = recorded[0] as { payment_collections?: { status: string }[]; agent_order?: { id: string } | null } | undefined
      needsPayment = !(o?.payment_collections ?? []).some((pc) => pc.status === "completed" || pc.status === "authorized")
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
      linked,
    })
  }
)

/**
 * Records the Medusa order of an answered wholesale order on it (so an interrupted run picks it up instead of creating
 * another) and on its risk decision (a review then holds that order's delivery). Compensation forgets it again.
 */
export const recordAgentMedusaOrderStep = createStep(
  "record-agent-medusa-order",
  async (input: { agent_order_id: string; order_id: string; display_id: number | null }, { container }) => {
    await agents(container).recordBookkeepingOrder({ id: input.agent_order_id, order_id: input.order_id, display_id: input.display_id })
    await (container.resolve(RISK_MODULE) as RiskModuleService).attachOrder({ subject_type: "agent_order", subject_id: input.agent_order_id, order_id: input.order_id })
    return new StepResponse(void 0, { id: input.agent_order_id, order_id: input.order_id })
  },
  async (recorded, { container }) => {
    if (!recorded) return
    await agents(container).forgetBookkeepingOrder(recorded)
  }
)

/**
 * Moves the codes the agent got with its answer (delivered to the agent order) onto the lines of the Medusa order, by
 * pool. Compensation moves them back to the agent order.
 */
export const bindAgentOrderCodesStep = createStep(
  "bind-agent-order-codes",
  async (input: { agent_order_id: string; order_id: string; items: { pool_id: string; variant_id: string }[] }, { container }) => {
    const { data } = await container
      .resolve(ContainerRegistrationKeys.QUERY)
      .graph({ entity: "order", fields: ["id", "items.id", "items.variant_id"], filters: { id: input.order_id } })
    const lines = ((data[0] as { items?: { id: string; variant_id: string | null }[] } | undefined)?.items ?? []).flatMap((item) => {
      const pool = input.items.find((i) => i.variant_id === item.variant_id)?.pool_id
      return pool ? [{ pool_id: pool, line_item_id: item.id }] : []
    })
    const { code_ids } = await vault(container).bindOwnerCodes({ from_owner_id: input.agent_order_id, order_id: input.order_id, lines })
    return new StepResponse({ code_ids }, { agent_order_id: input.agent_order_id, order_id: input.order_id, code_ids })
  },
  async (bound, { container }) => {
    if (!bound?.code_ids.length) return
    await vault(container).unbindOwnerCodes({ order_id: bound.order_id, to_owner_id: bound.agent_order_id, code_ids: bound.code_ids })
  }
)

/**
 * Closes the bookkeeping and queues the agent's `agent_order.completed` webhook with its Medusa order — unless the
 * delivery did not bind every code (then it fails, and the run is undone and tried again). Last step.
 */
export const finishAgentOrderBookkeepingStep = createStep(
  "finish-agent-order-bookkeeping",
  async (input: { agent_order_id: string; agent_id: string; delivery_status: string | null; payload: Record<string, unknown> }, { container }) => {
    if (input.delivery_status !== "delivered" && input.delivery_status !== "held_for_review") {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Agent order ${input.agent_order_id}: its Medusa order could not be delivered (${input.delivery_status})`)
    }
    const result = await agents(container).finishBookkeeping({
      id: input.agent_order_id,
      webhook: { agent_id: input.agent_id, event: "agent_order.completed", payload: input.payload },
    })
    return new StepResponse(result)
  }
)
