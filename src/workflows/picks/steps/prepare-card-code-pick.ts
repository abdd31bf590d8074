import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, QueryContext } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { pickedUnitPrice } from "../utils/picked-price"
import { PICK_POOL_FIELDS, pickedCodeOf, pickRuleOf, type PickPoolRow } from "../utils/pick-rule"

export type PrepareCardCodePickStepInput = { cart_id: string; variant_id: string; code_id: string }

export type PrepareCardCodePickStepOutput = {
  cart_id: string
  variant_id: string
  code_id: string
  pool_id: string
  premium_bp: number
  /** The variant's price for the cart with the premium (exact decimal). */
  unit_price: string
  /** The cart already has a line with this code (a repeated request): nothing is added. */
  already_in_cart: boolean
}

export const prepareCardCodePickStepId = "prepare-card-code-pick"

type CartRow = {
  id: string
  completed_at: Date | null
  region_id: string | null
  currency_code: string
  customer_id: string | null
  items?: { id: string; metadata?: Record<string, unknown> | null }[] | null
}

type VariantRow = {
  id: string
  product?: { status: string } | null
  card_pool?: PickPoolRow | null
  calculated_price?: { calculated_amount?: BigNumberInput | null } | null
}

/**
 * Checks a pick before anything is reserved: the cart exists and is not completed, the variant's pool offers picking,
 * and the variant has a price for the cart (its region, currency and customer, as Medusa's cart prices it). Answers
 * the unit price with the pool's premium. Reads only.
 */
export const prepareCardCodePickStep = createStep(prepareCardCodePickStepId, async (input: PrepareCardCodePickStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: carts } = await query.graph({
    entity: "cart",
    fields: ["id", "completed_at", "region_id", "currency_code", "customer_id", "items.*"],
    filters: { id: input.cart_id },
  })
  const cart = (carts as CartRow[])[0]
  if (!cart) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart with id '${input.cart_id}' not found`)
  if (cart.completed_at) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Cart ${cart.id} is already completed`)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "product.status", ...PICK_POOL_FIELDS, "calculated_price.*"],
    filters: { id: input.variant_id },
    context: {
      calculated_price: QueryContext({ region_id: cart.region_id, currency_code: cart.currency_code, customer_id: cart.customer_id }),
    },
  })
  const variant = (variants as VariantRow[])[0]
  if (!variant || variant.product?.status !== "published") {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product variant with id: ${input.variant_id} was not found`)
  }
  const rule = pickRuleOf(variant.card_pool)
  if (!rule) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Variant ${variant.id} does not offer picking a code`)
  const amount = variant.calculated_price?.calculated_amount
  if (amount === null || amount === undefined) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Variants with IDs ${variant.id} do not have a price`)
  }
  return new StepResponse<PrepareCardCodePickStepOutput>({
    cart_id: cart.id,
    variant_id: variant.id,
    code_id: input.code_id,
    pool_id: rule.pool_id,
    premium_bp: rule.premium_bp,
    unit_price: pickedUnitPrice(amount, rule.premium_bp),
    already_in_cart: (cart.items ?? []).some((i) => pickedCodeOf(i.metadata) === input.code_id),
  })
})
