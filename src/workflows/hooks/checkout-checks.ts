import type { MedusaContainer } from "@medusajs/framework/types"

/**
 * A host app's own check of a checkout, run by the plugin's cart-completion validation (Medusa allows one handler per
 * hook, and the plugin owns `completeCartWorkflow.hooks.validate`) after the risk rules. Throw — ideally a
 * `MedusaError` — to refuse the checkout: nothing is reserved and no order is placed.
 *
 * @example
 * // src/loaders/checkout-checks.ts (or any module of the host app that is loaded at startup)
 * import { registerCheckoutCheck } from "medusa-virtual-goods/workflows"
 * registerCheckoutCheck(async ({ cart }) => {
 *   if (!cart.email?.endsWith("@example.com")) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Staff only")
 * })
 */
export type CheckoutCheck = (input: { cart: any; container: MedusaContainer }) => Promise<void> | void

const checks: CheckoutCheck[] = []

export function registerCheckoutCheck(check: CheckoutCheck): () => void {
  checks.push(check)
  return () => {
    const i = checks.indexOf(check)
    if (i >= 0) checks.splice(i, 1)
  }
}

export async function runCheckoutChecks(input: { cart: any; container: MedusaContainer }) {
  for (const check of [...checks]) await check(input)
}
