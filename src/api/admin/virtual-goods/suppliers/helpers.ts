import type { MedusaContainer } from "@medusajs/framework/types"
import { suppliersModule } from "../../../../workflows/suppliers/utils/suppliers-module"

const SUPPLIER_FIELDS = [
  "id", "name", "adapter", "base_url", "config", "credential_fields", "status", "timeout_ms", "rate_limit_per_minute", "max_attempts",
  "poll_interval_seconds", "low_balance_threshold", "health", "last_error", "last_checked_at", "balance", "balance_currency_code",
  "balance_checked_at", "created_at", "updated_at",
] as const

/** A supplier as admins see it: settings, health, balance and the names of its credentials — never their values. */
export async function supplierResponse(scope: MedusaContainer, id: string) {
  const supplier = await suppliersModule(scope).retrieveSupplier(id, { select: [...SUPPLIER_FIELDS] })
  return { ...supplier, credential_fields: Object.keys((supplier.credential_fields ?? {}) as Record<string, unknown>) }
}

export { SUPPLIER_FIELDS }
