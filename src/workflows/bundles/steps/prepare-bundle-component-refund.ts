import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { FULL_SHARE } from "../../../modules/card-vault/service"

export type PrepareBundleComponentRefundStepInput = { order_id: string; line_item_id: string; pool_id: string }

export type BundleComponentRefundPlan = {
  order_id: string
  line_item_id: string
  pool_id: string
  /** The component's share of what the line cost (exact decimal string, rounded down to the cent). */
  amount: string
  currency_code: string
  /** The component's codes on the line now (ids only). */
  code_count: number
}

type OrderRow = {
  id: string
  currency_code: string
  items?: { id: string; variant_id: string | null; quantity: BigNumberInput; unit_price: BigNumberInput; adjustments?: { amount: BigNumberInput }[] | null }[] | null
}
type VariantRow = { id: string; card_bundle?: { id: string; components?: { pool_id: string; share: number }[] | null } | null }

export const prepareBundleComponentRefundStepId = "prepare-bundle-component-refund"

/**
 * Reads what refunding one component of a bundle line means: the line must be a bundle's whose components include the
 * pool and hold codes of it; the amount is the component's share of the line's total (what the customer paid for it,
 * discounts included), rounded down to the cent. Reads only; errors name the field.
 */
export const prepareBundleComponentRefundStep = createStep(
  prepareBundleComponentRefundStepId,
  async (input: PrepareBundleComponentRefundStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: orders } = await query.graph({
      entity: "order",
      // `items.*`: Query answers an order line's quantity only with the line's own columns.
      fields: ["id", "currency_code", "items.*", "items.adjustments.amount"],
      filters: { id: input.order_id },
    })
    const order = (orders as OrderRow[])[0]
    if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.order_id} was not found`)
    const line = (order.items ?? []).find((i) => i.id === input.line_item_id)
    if (!line?.variant_id) throw new MedusaError(MedusaError.Types.INVALID_DATA, `line_item_id: order ${order.id} has no line ${input.line_item_id}`)
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id", "card_bundle.id", "card_bundle.components.pool_id", "card_bundle.components.share"],
      filters: { id: line.variant_id },
      withDeleted: true,
    })
    const bundle = (variants as VariantRow[])[0]?.card_bundle
    if (!bundle) throw new MedusaError(MedusaError.Types.INVALID_DATA, `line_item_id: line ${line.id} is not a bundle's line`)
    const component = (bundle.components ?? []).find((c) => c.pool_id === input.pool_id)
    if (!component) throw new MedusaError(MedusaError.Types.INVALID_DATA, `pool_id: pool ${input.pool_id} is not a component of the bundle on line ${line.id}`)
    const codes = await cardVaultModule(container).listCardCodes(
      { order_id: order.id, line_item_id: line.id, pool_id: input.pool_id },
      { select: ["id"] }
    )
    if (!codes.length) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Line ${line.id} holds no codes of pool ${input.pool_id}: nothing to refund`)
    // What the line cost: its price times its quantity, less its discounts.
    const lineTotal = MathBN.sub(MathBN.mult(line.unit_price, line.quantity), MathBN.sum(0, ...(line.adjustments ?? []).map((a) => a.amount)))
    const amount = MathBN.convert(MathBN.div(MathBN.mult(lineTotal, component.share), FULL_SHARE)).decimalPlaces(2, 1)
    return new StepResponse<BundleComponentRefundPlan>({
      order_id: order.id,
      line_item_id: line.id,
      pool_id: input.pool_id,
      amount: amount.toString(),
      currency_code: order.currency_code,
      code_count: codes.length,
    })
  }
)
