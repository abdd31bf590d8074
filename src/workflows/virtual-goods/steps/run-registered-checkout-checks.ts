import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/** What a checkout check sees of the cart being completed (Medusa's cart as `completeCartWorkflow` reads it). */
export type CheckoutCart = {
  id: string
  email?: string | null
  completed_at?: Date | string | null
  customer_id?: string | null
  customer?: { id: string; has_account?: boolean | null } | null
  total?: unknown
  items?: { id?: string; variant_id?: string | null; quantity: number | string; title?: string | null; unit_price?: unknown; metadata?: Record<string, unknown> | null }[] | null
  [field: string]: unknown
}

/**
 * A host app's own check of a checkout, the older way to add one (kept as a thin alias of the
 * `checkVirtualGoodsCheckoutWorkflow.hooks.checkoutCheck` hook). Throw — ideally a `MedusaError` — to refuse the
 * checkout: nothing is reserved and no order is placed.
 *
 * @example
 * import { registerCheckoutCheck } from "medusa-virtual-goods/workflows"
 * registerCheckoutCheck(async ({ cart }) => {
 *   if (!cart.email?.endsWith("@example.com")) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Staff only")
 * })
 */
export type CheckoutCheck = (input: { cart: CheckoutCart; container: MedusaContainer }) => Promise<void> | void

const registered: CheckoutCheck[] = []

/** Registers a checkout check; returns a function that removes it. */
export function registerCheckoutCheck(check: CheckoutCheck): () => void {
  registered.push(check)
  return () => {
    const i = registered.indexOf(check)
    if (i >= 0) registered.splice(i, 1)
  }
}

export const runRegisteredCheckoutChecksStepId = "run-registered-checkout-checks"

/** Runs the checks registered with `registerCheckoutCheck`, in order; the first that throws refuses the checkout. */
export const runRegisteredCheckoutChecksStep = createStep(
  runRegisteredCheckoutChecksStepId,
  async (input: { cart: CheckoutCart }, { container }) => {
    for (const check of [...registered]) await check({ cart: input.cart, container })
    return new StepResponse(void 0)
  }
)
