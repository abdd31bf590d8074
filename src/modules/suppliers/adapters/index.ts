import { MedusaError } from "@medusajs/framework/utils"
import { dujiaoNextAdapter } from "./dujiao-next"
import { genericHttpAdapter } from "./generic-http"
import { medusaStoreAdapter } from "./medusa-store"
import type { SupplierAdapter, SupplierAdapterName } from "./types"

const ADAPTERS: Record<SupplierAdapterName, SupplierAdapter> = {
  medusa_store: medusaStoreAdapter,
  dujiao_next: dujiaoNextAdapter,
  generic_http: genericHttpAdapter,
}

/** The adapter of a supplier's protocol. */
export function adapterOf(name: string): SupplierAdapter {
  const adapter = ADAPTERS[name as SupplierAdapterName]
  if (!adapter) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Unknown supplier adapter "${name}" (one of ${Object.keys(ADAPTERS).join(", ")})`)
  return adapter
}
