import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SealedCredentials } from "../../../modules/suppliers/service"
import { suppliersModule } from "../utils/suppliers-module"

export type CreateSupplierStepInput = {
  /** The id the credentials were sealed for (`sealCredentials(null, …)` chooses it). */
  id: string
  name: string
  adapter: "medusa_store" | "dujiao_next" | "generic_http"
  base_url: string
  config?: Record<string, unknown>
  /** Sealed before the workflow (`sealCredentials`): ciphertext and field names only. */
  credentials?: SealedCredentials | null
  timeout_ms?: number
  rate_limit_per_minute?: number
  max_attempts?: number
  poll_interval_seconds?: number
  low_balance_threshold?: string | null
}

export const createSupplierStepId = "create-supplier"

/** Creates a supplier and seals its credentials; compensation deletes it. Outputs its id. */
export const createSupplierStep = createStep(
  createSupplierStepId,
  async (input: CreateSupplierStepInput, { container }) => {
    const suppliers = suppliersModule(container)
    const { credentials, ...fields } = input
    const id = await suppliers.insertSupplierRow("supplier", { ...fields, config: fields.config ?? {} })
    if (credentials?.ciphertext) await suppliers.setCredentials(id, credentials)
    return new StepResponse({ id }, id)
  },
  async (id, { container }) => {
    if (id) await suppliersModule(container).deleteSuppliers(id)
  }
)
