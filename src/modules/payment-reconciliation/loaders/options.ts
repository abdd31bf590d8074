import { asValue } from "@medusajs/framework/awilix"
import type { LoaderOptions } from "@medusajs/framework/types"
import { PaymentReconciliationModuleOptions, resolvePaymentReconciliationOptions } from "../utils/options"

/** Resolves the module's options (environment fallbacks, defaults, validation) for its internal services. */
export default async function optionsLoader({ container, options }: LoaderOptions<PaymentReconciliationModuleOptions>) {
  container.register({ paymentReconciliationOptions: asValue(resolvePaymentReconciliationOptions(options ?? {})) })
}
