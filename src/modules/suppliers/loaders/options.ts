import { asValue } from "@medusajs/framework/awilix"
import type { LoaderOptions } from "@medusajs/framework/types"
import { resolveSuppliersOptions, SuppliersModuleOptions } from "../utils/options"
import { SupplierSealer } from "../utils/sealing"

/** Resolves the module's options and its sealer (keys derived from the keyring) for its internal services. */
export default async function optionsLoader({ container, options }: LoaderOptions<SuppliersModuleOptions>) {
  const resolved = resolveSuppliersOptions(options ?? {})
  container.register({
    suppliersOptions: asValue(resolved),
    supplierSealer: asValue(new SupplierSealer(resolved.keys, resolved.primary_key_version)),
  })
}
