import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { SupplierAdapter, SupplierConnection } from "../../../../../../modules/suppliers/service"
import { suppliersModule } from "../../../../../../workflows/suppliers/utils/suppliers-module"
import { supplierResponse } from "../../helpers"

/**
 * Checks a supplier now: reaches it with its credentials (ping) and reads its balance; health, last error and balance
 * are recorded. 200 with the outcome either way (a failing supplier is an answer, not an error of this route).
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const suppliers = suppliersModule(req.scope)
  let ping: { ok: boolean; detail: string | null }
  let balance: { amount: string; currency_code: string | null } | null = null
  try {
    ping = await suppliers.callSupplier(req.params.id, (a: SupplierAdapter, c: SupplierConnection) => a.ping(c), { allowDisabled: true })
    if (ping.ok) {
      balance = await suppliers.callSupplier(req.params.id, (a: SupplierAdapter, c: SupplierConnection) => a.balance(c), { allowDisabled: true })
      if (balance) await suppliers.recordBalance(req.params.id, balance)
    }
  } catch (e) {
    ping = { ok: false, detail: e instanceof Error ? e.message : String(e) }
  }
  res.json({ ok: ping.ok, detail: ping.detail, balance, supplier: await supplierResponse(req.scope, req.params.id) })
}
