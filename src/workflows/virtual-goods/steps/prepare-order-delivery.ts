import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"
import { suppliersModule } from "../../suppliers/utils/suppliers-module"
import { codesNeeded, sourcesByVariant, VARIANT_SOURCE_FIELDS, type VariantSourceRow } from "../utils/variant-sources"
import { pickedCodeOf } from "../../picks/utils/pick-rule"

export type PrepareOrderDeliveryStepInput = {
  order_id: string
  /** Read nothing more when the vault already records the order as delivered (a capture event after delivery). */
  skip_if_delivered?: boolean
  /** Where the codes were reserved when the order has no cart (see the delivery workflow's input). */
  reservation_key?: string | null
}

export type OrderDeliveryPlan = {
  order_id: string
  email: string | null
  display_id: number | null
  cart_id: string | null
  /**
   * Lines of the order sold from the vault, one per line and pool: a pool's line once, a bundle's line once per
   * component (`quantity` = codes of that pool, `line_quantity` = the order line's quantity, `bundle` set).
   */
  lines: { line_item_id: string; pool_id: string; quantity: number; line_quantity: number; bundle?: boolean; picked_code_id?: string }[]
  /** Every line of the order is virtual. */
  virtual_only: boolean
  captured: boolean
  refunded: boolean
  canceled: boolean
  /** Payments that can be captured (authorized, not yet captured). */
  capturable_payment_ids: string[]
  location_id: string | null
  shipping_option_id: string | null
  /** Digital fulfillment already created for the order, if any. */
  fulfillment_id: string | null
  fulfillment_delivered: boolean
  /** Quantities of each line in the order's digital fulfillments (a line is fulfilled once all its codes are there). */
  fulfilled: Record<string, number>
  /** A digital fulfillment created but not yet marked delivered (a run that stopped in between). */
  undelivered_fulfillment_id: string | null
  /** A shopper's order (it has a cart): a line of a pass-through pool may be bought from the supplier at delivery. */
  from_cart: boolean
  /** Deliver now: paid, not refunded or canceled, has virtual lines. */
  deliverable: boolean
  /** Capture first: `auto_capture` is on, the order is virtual-only and authorized but not captured. */
  auto_capture_needed: boolean
  /** With `skip_if_delivered`: the vault records the order as delivered, nothing was read or will be done. */
  already_delivered?: boolean
  /** Set by the delivery workflow when a risk review holds the codes (never by this step). */
  held_for_review?: boolean
}

export const prepareOrderDeliveryStepId = "prepare-order-delivery"

type MoneyField = "amount" | "captured_amount" | "refunded_amount"
type PaymentCollectionRow = Record<MoneyField, BigNumberInput | null> & {
  id: string
  payments?: { id: string; captured_at: Date | null; canceled_at: Date | null }[] | null
}
/** The order as delivery reads it. */
type DeliveryOrderRow = {
  id: string
  email: string | null
  display_id: number | null
  status: string
  canceled_at: Date | null
  items?: { id: string; variant_id: string | null; quantity: BigNumberInput; metadata?: Record<string, unknown> | null }[] | null
  fulfillments?:
    | { id: string; provider_id: string | null; delivered_at: Date | null; canceled_at: Date | null; items?: { line_item_id: string | null; quantity: BigNumberInput }[] | null }[]
    | null
  payment_collections?: PaymentCollectionRow[] | null
  cart?: { id: string } | null
  metadata?: Record<string, unknown> | null
}
type VariantPoolRow = VariantSourceRow & { card_pool?: { id: string; stock_location_id: string | null } | null; supplier_product?: { kind: string } | null }

/**
 * Reads everything delivery needs about an order (lines and their pools, payment, fulfillments) and decides
 * whether it can be delivered. Reads only.
 */
export const prepareOrderDeliveryStep = createStep(
  prepareOrderDeliveryStepId,
  async (input: PrepareOrderDeliveryStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const vault = cardVaultModule(container)
    const [record] = await vault.listCardDeliveries({ order_id: input.order_id }, { select: ["id", "status"], take: 1 })
    if (input.skip_if_delivered && record?.status === "delivered") {
      return new StepResponse<OrderDeliveryPlan | null>(alreadyDelivered(input.order_id))
    }
    // Codes taken back (a refund, also one made at the payment provider that Medusa does not know of, or a
    // cancellation) are never delivered again, whatever event arrives late.
    const returned = record?.status === "returned"
    const { data: orders } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "email",
        "display_id",
        "status",
        "canceled_at",
        "items.*",
        "fulfillments.id",
        "fulfillments.provider_id",
        "fulfillments.delivered_at",
        "fulfillments.canceled_at",
        "fulfillments.items.line_item_id",
        "fulfillments.items.quantity",
        "payment_collections.id",
        "payment_collections.amount",
        "payment_collections.captured_amount",
        "payment_collections.refunded_amount",
        "payment_collections.payments.id",
        "payment_collections.payments.captured_at",
        "payment_collections.payments.canceled_at",
        "cart.id",
        "metadata",
      ],
      filters: { id: input.order_id },
    })
    const order: DeliveryOrderRow | undefined = (orders as DeliveryOrderRow[])[0]
    if (!order) {
      return new StepResponse<OrderDeliveryPlan | null>(null)
    }
    const items = order.items ?? []
    const variantIds = [...new Set(items.flatMap((i) => (i.variant_id ? [i.variant_id] : [])))]
    const { data: variants } = variantIds.length
      ? await query.graph({
          entity: "product_variant",
          fields: ["id", ...VARIANT_SOURCE_FIELDS, "card_pool.stock_location_id", "supplier_product.kind"],
          filters: { id: variantIds },
        })
      : { data: [] }
    const poolOf = new Map((variants as VariantPoolRow[]).flatMap((v) => (v.card_pool?.id ? [[v.id, v.card_pool] as const] : [])))
    const sourcesOf = sourcesByVariant(variants as VariantPoolRow[])
    const lines = items.flatMap((item) => {
      const sources = item.variant_id ? sourcesOf.get(item.variant_id) : undefined
      if (!sources) return []
      const quantity = Number(item.quantity)
      // Buyer's choice: the line delivers the code the shopper picked (its id from the cart line's metadata).
      const picked = sources.bundle_id ? null : pickedCodeOf(item.metadata)
      return codesNeeded(sources, quantity).map((need) => ({
        line_item_id: item.id,
        pool_id: need.pool_id,
        quantity: need.quantity,
        line_quantity: quantity,
        ...(sources.bundle_id ? { bundle: true } : {}),
        ...(picked ? { picked_code_id: picked } : {}),
      }))
    })
    const firstPool = items.map((i) => (i.variant_id ? poolOf.get(i.variant_id) : undefined)).find((p) => !!p)
    let locationId = firstPool?.stock_location_id ?? null
    if (!locationId && lines.length) {
      // Only bundles: their components' pools say where the digital fulfillment is made.
      const { data: pools } = await query.graph({ entity: "card_pool", fields: ["id", "stock_location_id"], filters: { id: [...new Set(lines.map((l) => l.pool_id))] } })
      locationId = (pools as { stock_location_id: string | null }[]).find((p) => !!p.stock_location_id)?.stock_location_id ?? null
    }

    const collections = order.payment_collections ?? []
    const sum = (field: MoneyField) => MathBN.sum(0, ...collections.map((c) => c[field] ?? 0))
    const amount = sum("amount")
    const captured = collections.length > 0 && MathBN.gt(sum("captured_amount"), 0) && MathBN.gte(sum("captured_amount"), amount)
    // What was given back for a line a supplier failed (a top-up, a pass-through purchase) does not stop the rest.
    let refunded = MathBN.gt(sum("refunded_amount"), 0)
    if (refunded) {
      const lineRefunds = await suppliersModule(container).listSupplierOrders({ order_id: order.id, refund_status: ["refunding", "refunded"] }, { select: ["amount"] })
      refunded = MathBN.gt(MathBN.sub(sum("refunded_amount"), MathBN.sum(0, ...lineRefunds.map((r) => (r.amount ?? 0) as BigNumberInput))), 0)
    }
    const capturable = collections
      .flatMap((c) => c.payments ?? [])
      .filter((p) => !p.captured_at && !p.canceled_at)
      .map((p) => p.id)

    const providerId = vault.getOptions().fulfillment_provider_id
    const digital = (order.fulfillments ?? []).filter((f) => f.provider_id === providerId && !f.canceled_at)
    const fulfillment = digital[0]
    const fulfilled: Record<string, number> = {}
    for (const item of digital.flatMap((f) => f.items ?? [])) {
      if (item.line_item_id) fulfilled[item.line_item_id] = (fulfilled[item.line_item_id] ?? 0) + Number(item.quantity)
    }
    let shippingOptionId: string | null = null
    if (lines.some((l) => !fulfilled[l.line_item_id])) {
      const { data: options } = await query.graph({
        entity: "shipping_option",
        fields: ["id"],
        filters: { provider_id: providerId },
      })
      shippingOptionId = (options as { id: string }[])[0]?.id ?? null
    }
    const canceled = order.status === "canceled" || !!order.canceled_at
    const reservationKey = order.metadata?.virtual_goods_reservation_key
    // Top-up lines (a variant fulfilled by a supplier) are virtual too: their payment is captured like the codes'
    // (the suppliers' workflows submit them once it is), though the vault delivers nothing for them.
    const topUps = new Set((variants as VariantPoolRow[]).flatMap((v) => (v.supplier_product?.kind === "topup" ? [v.id] : [])))
    const virtualLines = items.filter((i) => !!i.variant_id && (sourcesOf.has(i.variant_id) || topUps.has(i.variant_id))).length
    const virtualOnly = virtualLines > 0 && virtualLines === items.length
    return new StepResponse<OrderDeliveryPlan | null>({
      order_id: order.id,
      email: order.email ?? null,
      display_id: order.display_id ?? null,
      // An order without a cart (a wholesale order) names the key its codes were reserved under in its metadata.
      cart_id: order.cart?.id ?? input.reservation_key ?? (typeof reservationKey === "string" ? reservationKey : null),
      lines,
      virtual_only: virtualOnly,
      captured,
      refunded: refunded || returned,
      canceled,
      capturable_payment_ids: capturable,
      location_id: locationId ?? null,
      shipping_option_id: shippingOptionId,
      fulfillment_id: fulfillment?.id ?? null,
      fulfillment_delivered: !!fulfillment?.delivered_at,
      fulfilled,
      undelivered_fulfillment_id: digital.find((f) => !f.delivered_at)?.id ?? null,
      from_cart: !!order.cart?.id,
      deliverable: lines.length > 0 && captured && !refunded && !returned && !canceled,
      auto_capture_needed:
        vault.getOptions().auto_capture && virtualOnly && !captured && !refunded && !returned && !canceled && capturable.length > 0,
    })
  }
)

function alreadyDelivered(orderId: string): OrderDeliveryPlan {
  return {
    order_id: orderId,
    email: null,
    display_id: null,
    cart_id: null,
    lines: [],
    virtual_only: false,
    captured: true,
    refunded: false,
    canceled: false,
    capturable_payment_ids: [],
    location_id: null,
    shipping_option_id: null,
    fulfillment_id: null,
    fulfillment_delivered: true,
    fulfilled: {},
    undelivered_fulfillment_id: null,
    from_cart: false,
    deliverable: false,
    auto_capture_needed: false,
    already_delivered: true,
  }
}
