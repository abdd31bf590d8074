import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import type { CheckoutCart } from "../virtual-goods/steps/run-registered-checkout-checks"
import { checkVirtualGoodsCheckoutWorkflow } from "../virtual-goods/workflows/check-virtual-goods-checkout"
import { cardVaultModule } from "../virtual-goods/utils/card-vault-module"
import { riskModule } from "../risk/utils/risk-module"
import { radarFactsOfCart } from "../payments/utils/radar-facts"
import { checkTopUpLinesOfCart, TOP_UP_VARIANT_FIELDS } from "../suppliers/utils/check-top-up-cart"
import { passThroughAffordable, passThroughOffers } from "../suppliers/utils/pass-through"
import { codesNeeded, sourcesByVariant, VARIANT_SOURCE_FIELDS, type VariantSourceRow } from "../virtual-goods/utils/variant-sources"
import { repickForCheckout } from "../picks/utils/repick-for-checkout"

/**
 * Judges the checkout with the risk rules first (client IP and device recorded by the cart-completion middleware,
 * email, customer, amount, codes, first purchase, Stripe Radar's risk level and score and the card's fingerprint for a
 * Stripe payment; velocity counted once per cart): `block` → a 400 "refused by risk
 * control" and no order; `review` → the order is placed and paid but its codes wait for an admin (see the delivery
 * workflow). Top-up lines need their recipient and a price the supplier's cost allows. Then a host app's own checks (`checkVirtualGoodsCheckoutWorkflow.hooks.checkoutCheck`, or the older
 * `registerCheckoutCheck`). Then reserves card codes for the cart's virtual
 * items before the order exists: one call of the vault's reservation
 * (one round trip, a conditional `FOR UPDATE SKIP LOCKED` claim per pool). Out of stock → a 400 with
 * "Out of stock: …", no order, no payment authorized — unless the pool may buy from a supplier at delivery
 * (pass-through: an active codes product with `pass_through` on, at a cost its maximum and the line's price allow):
 * then the pools are reserved again one by one, and a pass-through pool that cannot cover its lines reserves nothing;
 * delivery buys what it misses. Re-entrant per cart (a retried completion counts what the cart
 * already holds), and a no-op once the cart is completed. If a later step of the completion fails, the compensation
 * releases exactly the codes this run reserved.
 *
 * Medusa allows one handler per hook per workflow: this file owns `completeCartWorkflow.hooks.validate`.
 */
completeCartWorkflow.hooks.validate(
  async ({ cart: completing }, { container }) => {
    const cart: CheckoutCart = completing
    // A completed cart is being retried: its order exists and owns its codes (or gave them back on refund).
    if (cart.completed_at) return new StepResponse(void 0, null)
    const items = cart.items ?? []
    const variantIds = [...new Set(items.map((i) => i.variant_id).filter((id): id is string => !!id))]
    if (!variantIds.length) return new StepResponse(void 0, null)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id", ...VARIANT_SOURCE_FIELDS, ...TOP_UP_VARIANT_FIELDS, "card_pool.pick_premium_bp"],
      filters: { id: variantIds },
    })
    // Top-up lines (直充): each needs its recipient, and a price the supplier's cost allows.
    await checkTopUpLinesOfCart(container, cart.id, items, variants)
    // A pool's line needs its quantity of codes; a bundle's line each component's quantity per bundle, all reserved
    // in the same all-or-nothing call as the rest of the cart.
    const sourcesOf = sourcesByVariant(variants as VariantSourceRow[])
    const poolOf = new Map([...sourcesOf].flatMap(([variantId, s]) => (s.bundle_id ? [] : [[variantId, s.sources[0].pool_id] as const])))
    const wanted = items.flatMap((i) => {
      const sources = i.variant_id ? sourcesOf.get(i.variant_id) : undefined
      return sources ? codesNeeded(sources, Number(i.quantity)).map((w) => ({ ...w, bundle: !!sources.bundle_id })) : []
    })
    if (!wanted.length) {
      await checkVirtualGoodsCheckoutWorkflow(container).run({ input: { cart } })
      return new StepResponse(void 0, null)
    }
    const risk = riskModule(container)
    const customerId: string | null = cart.customer?.id ?? cart.customer_id ?? null
    let firstPurchase = true
    if (customerId && cart.customer?.has_account) {
      const { data: earlier } = await query.graph({ entity: "order", fields: ["id"], filters: { customer_id: customerId }, pagination: { take: 1 } })
      firstPurchase = earlier.length === 0
    }
    const client = await risk.clientOf(cart.id)
    // Stripe Radar's outcome of the cart's payment (read back from Stripe; unknown for other providers).
    const radar = await radarFactsOfCart(container, cart)
    const decision = await risk.assess({
      subject_type: "cart",
      subject_id: cart.id,
      facts: {
        channel: "store",
        ip: client.ip,
        device_id: client.device_id,
        email: cart.email ?? null,
        customer_id: customerId,
        amount: Number(cart.total ?? 0),
        quantity: wanted.reduce((n, w) => n + w.quantity, 0),
        first_purchase: firstPurchase,
        ...radar,
      },
    })
    if (decision.action === "block") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "This order was refused by risk control. Contact the store if you think this is a mistake.")
    }
    await checkVirtualGoodsCheckoutWorkflow(container).run({ input: { cart } })
    const vault = cardVaultModule(container)
    // Buyer's choice: each picked line's code reserved for the cart again (refused if someone else has it).
    const pickPools = new Set((variants as { card_pool?: { id: string; pick_premium_bp?: number | null } | null }[]).flatMap((v) => (v.card_pool?.pick_premium_bp != null ? [v.card_pool.id] : [])))
    const repicked = await repickForCheckout(container, cart.id, items, poolOf, pickPools)
    try {
      const { reserved_code_ids } = await vault.reserveForCart({ cart_id: cart.id, items: wanted })
      return new StepResponse(void 0, { cart_id: cart.id, code_ids: [...repicked, ...reserved_code_ids] })
    } catch (e) {
      if (!isOutOfStock(e)) throw e
      const code_ids = await reserveWithPassThrough(container, cart.id, items, poolOf, wanted, e)
      return new StepResponse(void 0, { cart_id: cart.id, code_ids: [...repicked, ...code_ids] })
    }
  },
  async (reserved, { container }) => {
    if (!reserved?.code_ids?.length) return
    const vault = cardVaultModule(container)
    await vault.releaseReservations({ code_ids: reserved.code_ids, reason: "cart completion failed" })
  }
)

const isOutOfStock = (e: unknown) => e instanceof MedusaError && e.message.startsWith("Out of stock")

/**
 * A cart that the vault cannot cover in one go, when some of its pools buy from a supplier at delivery: the other
 * pools are reserved all or nothing, then each pass-through pool on its own; one that cannot cover its lines reserves
 * nothing (its lines are bought at delivery) when the supplier's cost is within the price guard for every line, and
 * refuses the checkout (the original out-of-stock error) otherwise. Answers the codes reserved; on a refusal, those are
 * released first.
 */
async function reserveWithPassThrough(
  container: Parameters<typeof cardVaultModule>[0],
  cartId: string,
  items: { variant_id?: string | null; unit_price?: unknown }[],
  poolOf: Map<string, string>,
  wanted: { pool_id: string; quantity: number; bundle: boolean }[],
  outOfStock: unknown
): Promise<string[]> {
  // A bundle is reserved whole or not sold: its components' pools never wait for a supplier in this cart.
  const bundled = new Set(wanted.filter((w) => w.bundle).map((w) => w.pool_id))
  const offers = await passThroughOffers(container, wanted.filter((w) => !bundled.has(w.pool_id)).map((w) => w.pool_id))
  if (!offers.size) throw outOfStock
  const vault = cardVaultModule(container)
  const reserved: string[] = []
  const refuse = async (error: unknown): Promise<never> => {
    if (reserved.length) await vault.releaseReservations({ code_ids: reserved, reason: "cart completion failed" })
    throw error
  }
  const plain = wanted.filter((w) => !offers.has(w.pool_id))
  if (plain.length) reserved.push(...(await vault.reserveForCart({ cart_id: cartId, items: plain })).reserved_code_ids)
  for (const [poolId, offer] of offers) {
    const mine = wanted.filter((w) => w.pool_id === poolId)
    if (!mine.length) continue
    try {
      reserved.push(...(await vault.reserveForCart({ cart_id: cartId, items: mine })).reserved_code_ids)
    } catch (e) {
      if (!isOutOfStock(e)) await refuse(e)
      const lines = items.filter((i) => i.variant_id && poolOf.get(i.variant_id) === poolId)
      if (!lines.every((l) => passThroughAffordable(offer, l.unit_price))) await refuse(outOfStock)
    }
  }
  return reserved
}
