import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { LRUCache } from "lru-cache"
import { MathBN } from "@medusajs/framework/utils"
import { toAmount } from "../../../modules/agents/service"
import { agentsModule } from "./agents-module"
import { agentUnitPrices } from "./pricing"
import { sourcesByVariant, VARIANT_SOURCE_FIELDS, type VariantSourceRow } from "../../virtual-goods/utils/variant-sources"

/** A top-up (直充) line's supplier product: the supplier fulfils it for the line's recipient. */
export type WholesaleTopUp = {
  supplier_product_id: string
  supplier_id: string
  upstream_product_id: string
  max_unit_cost: string | null
  /** The sealed recipient (its id and mask only: the values never pass through a workflow). */
  recipient_id: string
  recipient: string
}

export type WholesaleOrderLine = {
  variant_id: string
  /** The pool the line's codes come from (a bundle's: its first component's); null for a top-up line. */
  pool_id: string | null
  /** A bundle's line: the codes of each pool one unit takes. */
  components?: { pool_id: string; quantity: number }[]
  /** Set for a top-up line (a variant fulfilled by a supplier). */
  topup?: WholesaleTopUp
  quantity: number
  title: string
  product_title: string | null
  /** What the buyer pays per code (exact decimal string). */
  unit_price: string
  /** The unit price of the buyer and of every agent above it, for the commissions (exact decimal strings). */
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

type OfferedTopUp = { id: string; supplier_id: string; upstream_product_id: string; status: string; unit_cost: string | null; max_unit_cost: string | null }
type OfferedVariant = { pool_id: string | null; components: { pool_id: string; quantity: number }[] | null; topup: OfferedTopUp | null; title: string; product_title: string | null; unit_prices: Record<string, string> }
type RefusedVariant = { refused: "not_found" | "not_from_pool" | "unpriced"; agent_id?: string }

/** What an agent pays for a set of variants, and who it is: everything a wholesale order reads before its transaction. */
type AgentOffer = {
  chain: string[]
  currency_code: string
  customer_id: string | null
  email: string | null
  /** Each variant asked for: what it costs along the chain, or why it is not offered (never cached). */
  variants: Map<string, OfferedVariant | RefusedVariant>
  /** No region sells in the agent's currency: its orders could not be recorded (never cached). */
  region_missing: boolean
}

type ChainAgentRow = { id: string; status: string; customer_group_id: string | null; customer?: { id: string; email: string | null } | null }
type OfferVariantRow = VariantSourceRow & {
  id: string
  title: string
  product?: { title: string | null } | null
  card_pool?: { id: string } | null
  supplier_product?: { id: string; kind: string; supplier_id: string; upstream_product_id: string; status: string; unit_cost?: unknown; max_unit_cost?: unknown } | null
}

const decimal = (v: unknown): string | null => (v === null || v === undefined ? null : MathBN.convert(v as string).toString())

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

const offerKey = (agentId: string, variantIds: string[]) => `${agentId}|${[...variantIds].sort().join(",")}`

async function readOffer(container: MedusaContainer, agentId: string, variantIds: string[]): Promise<AgentOffer> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const service = agentsModule(container)
  // Independent reads at once: on every wholesale answer's path when the offer is not cached.
  const [ancestors, [account], { data: variants }] = await Promise.all([
    service.ancestorsOf(agentId),
    service.balances([agentId]),
    query.graph({
      entity: "product_variant",
      fields: [
        "id", "title", "product.title", ...VARIANT_SOURCE_FIELDS, "supplier_product.id", "supplier_product.kind", "supplier_product.supplier_id",
        "supplier_product.upstream_product_id", "supplier_product.status", "supplier_product.unit_cost", "supplier_product.max_unit_cost",
      ],
      filters: { id: variantIds },
    }),
  ])
  const chain = [agentId, ...ancestors]
  const { data: chainAgents } = await query.graph({
    entity: "agent",
    fields: ["id", "status", "customer_group_id", "customer.id", "customer.email"],
    filters: { id: chain },
  })
  const byId = new Map((chainAgents as ChainAgentRow[]).map((a) => [a.id, a]))
  const buyer = byId.get(agentId)
  if (!buyer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${agentId} was not found`)
  if (buyer.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${agentId} is frozen`)
  if (!account) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${agentId} has no account`)
  const currency = account.currency_code

  const variantOf = new Map((variants as OfferVariantRow[]).map((v) => [v.id, v]))
  const bundleOf = sourcesByVariant(variants as OfferVariantRow[])
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
    else if (!variant.card_pool?.id && !bundleOf.get(id)?.bundle_id && variant.supplier_product?.kind !== "topup") offered.set(id, { refused: "not_from_pool" })
    else {
      const product = variant.supplier_product?.kind === "topup" && !variant.card_pool?.id ? variant.supplier_product : null
      const unit_prices: Record<string, string> = {}
      const unpriced = chain.find((agent) => {
        const price = prices.get(id)?.get(byId.get(agent)?.customer_group_id ?? null)
        if (price === null || price === undefined) return true
        unit_prices[agent] = toAmount(price, `price of variant ${id} for agent ${agent}`)
        return false
      })
      offered.set(
        id,
        unpriced
          ? { refused: "unpriced", agent_id: unpriced }
          : {
              pool_id: variant.card_pool?.id ?? bundleOf.get(id)?.sources[0]?.pool_id ?? null,
              components: bundleOf.get(id)?.bundle_id ? bundleOf.get(id)!.sources.map((s) => ({ pool_id: s.pool_id, quantity: s.quantity })) : null,
              topup: product
                ? {
                    id: product.id,
                    supplier_id: product.supplier_id,
                    upstream_product_id: product.upstream_product_id,
                    status: product.status,
                    unit_cost: decimal(product.unit_cost),
                    max_unit_cost: decimal(product.max_unit_cost),
                  }
                : null,
              title: variant.title,
              product_title: variant.product?.title ?? null,
              unit_prices,
            }
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

/**
 * Reads what a wholesale order needs and checks it (reads only): the agent is active; every variant is sold from a
 * card pool and has a price in the agent's currency for the agent (its tier's price list through Medusa's pricing)
 * and for every agent above it; a region sells in that currency. Errors name the item. Repeated orders of an agent
 * take these reads from the last moments' offers (see `offers`).
 */
export async function prepareAgentOrder(
  container: MedusaContainer,
  input: { agent_id: string; items: { variant_id: string; quantity: number; recipient_id?: string | null; recipient?: string | null }[] }
): Promise<WholesaleOrderPlan> {
  const variantIds = [...new Set(input.items.map((i) => i.variant_id))]
  const offer = offers.get(offerKey(input.agent_id, variantIds)) ?? (await readOffer(container, input.agent_id, variantIds))
  const lines: WholesaleOrderLine[] = input.items.map((item, i) => {
    const variant = offer.variants.get(item.variant_id)
    if (!variant || "refused" in variant) {
      if (variant?.refused === "not_from_pool") {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `items[${i}].variant_id: variant ${item.variant_id} is not sold from a card pool nor a top-up`)
      }
      if (variant?.refused === "unpriced") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `items[${i}]: variant ${item.variant_id} has no price in ${offer.currency_code.toUpperCase()} for agent ${variant.agent_id}`
        )
      }
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `items[${i}].variant_id: variant ${item.variant_id} was not found`)
    }
    const unitPrice = variant.unit_prices[input.agent_id]
    if (!variant.topup) {
      if (item.recipient_id) throw new MedusaError(MedusaError.Types.INVALID_DATA, `items[${i}].recipient: variant ${item.variant_id} is not a top-up: it takes no recipient`)
      return { variant_id: item.variant_id, pool_id: variant.pool_id, ...(variant.components ? { components: variant.components } : {}), quantity: item.quantity, title: variant.title, product_title: variant.product_title, unit_price: unitPrice, unit_prices: variant.unit_prices }
    }
    const product = variant.topup
    if (!item.recipient_id || !item.recipient) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `items[${i}].recipient is required: variant ${item.variant_id} is a top-up`)
    }
    if (product.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `items[${i}]: the top-up "${variant.title}" is not available now`)
    // The price guard: never sell below what the supplier last charged, nor when it charges over its maximum.
    if (product.unit_cost && ((product.max_unit_cost && MathBN.gt(product.unit_cost, product.max_unit_cost)) || MathBN.gt(product.unit_cost, unitPrice))) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `items[${i}]: the top-up "${variant.title}" is not available at this price now`)
    }
    return {
      variant_id: item.variant_id,
      pool_id: null,
      topup: {
        supplier_product_id: product.id,
        supplier_id: product.supplier_id,
        upstream_product_id: product.upstream_product_id,
        max_unit_cost: product.max_unit_cost,
        recipient_id: item.recipient_id,
        recipient: item.recipient,
      },
      quantity: item.quantity,
      title: variant.title,
      product_title: variant.product_title,
      unit_price: unitPrice,
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
