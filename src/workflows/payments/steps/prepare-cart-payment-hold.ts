import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { checkTopUpLinesOfCart, TOP_UP_VARIANT_FIELDS } from "../../suppliers/utils/check-top-up-cart"
import { codesNeeded, sourcesByVariant, VARIANT_SOURCE_FIELDS, type VariantSourceRow } from "../../virtual-goods/utils/variant-sources"

export type PrepareCartPaymentHoldStepInput = { cart_id: string }

export type CartPaymentHoldPlan = {
  cart_id: string
  items: { pool_id: string; quantity: number }[]
  payment_session_id: string | null
  provider_id: string | null
}

export const prepareCartPaymentHoldStepId = "prepare-cart-payment-hold"

type CartRow = {
  id: string
  completed_at: Date | string | null
  items?: { id: string; title?: string | null; unit_price?: unknown; metadata?: Record<string, unknown> | null; variant_id: string | null; quantity: number | string }[] | null
  payment_collection?: { payment_sessions?: { id: string; provider_id: string; status: string }[] | null } | null
}

/**
 * Reads what a payment hold needs (read-only): the cart's card-code items per pool and its payment session. A cart that
 * is unknown (404), already completed, holds no card codes (400), or has a top-up line without its recipient or at a
 * price its supplier's cost no longer allows (400) is refused with the reason.
 */
export const prepareCartPaymentHoldStep = createStep(prepareCartPaymentHoldStepId, async (input: PrepareCartPaymentHoldStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: carts } = await query.graph({
    entity: "cart",
    fields: ["id", "completed_at", "items.id", "items.title", "items.unit_price", "items.metadata", "items.variant_id", "items.quantity", "payment_collection.payment_sessions.*"],
    filters: { id: input.cart_id },
  })
  const cart = (carts as CartRow[])[0]
  if (!cart) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${input.cart_id} was not found`)
  if (cart.completed_at) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Cart ${input.cart_id} is already completed`)
  const variantIds = [...new Set((cart.items ?? []).map((i) => i.variant_id).filter((id): id is string => !!id))]
  const { data: variants } = variantIds.length
    ? await query.graph({ entity: "product_variant", fields: ["id", ...VARIANT_SOURCE_FIELDS, ...TOP_UP_VARIANT_FIELDS], filters: { id: variantIds } })
    : { data: [] }
  // Top-up lines are checked as the completion will check them (recipient, price): refused before the shopper pays.
  await checkTopUpLinesOfCart(container, cart.id, cart.items ?? [], variants)
  // A pool's line holds its codes; a bundle's line the codes of every component.
  const sourcesOf = sourcesByVariant(variants as VariantSourceRow[])
  const items = (cart.items ?? []).flatMap((i) => {
    const sources = i.variant_id ? sourcesOf.get(i.variant_id) : undefined
    return sources ? codesNeeded(sources, Number(i.quantity)) : []
  })
  if (!items.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Cart ${input.cart_id} has no card codes to hold`)
  const sessions = cart.payment_collection?.payment_sessions ?? []
  const session = sessions.find((s) => s.status !== "canceled") ?? null
  const plan: CartPaymentHoldPlan = {
    cart_id: cart.id,
    items,
    payment_session_id: session?.id ?? null,
    provider_id: session?.provider_id ?? null,
  }
  return new StepResponse(plan)
})
