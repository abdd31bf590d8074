import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { advanceSupplierOrder, resolveSupplierOrderWorkflow } from "../../../../../../workflows/suppliers"
import { suppliersModule } from "../../../../../../workflows/suppliers/utils/suppliers-module"
import type { AdminResolveSupplierOrderType } from "../../../suppliers/validators"
import { SUPPLIER_ORDER_FIELDS } from "../../route"

/**
 * An admin's decision with its reason (audited in the order's events): `retry` (sent again under the same number, now),
 * `refund` (a failed or unknown order: its line refunded through Medusa, the customer told), `mark_succeeded`.
 * 409 when the order's state does not allow it.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminResolveSupplierOrderType>, res: MedusaResponse) => {
  const { action, reason } = req.validatedBody
  const actor = req.auth_context?.actor_id ?? "admin"
  await resolveSupplierOrderWorkflow(req.scope).run({ input: { supplier_order_id: req.params.id, action, reason, actor } })
  if (action !== "mark_succeeded") await advanceSupplierOrder(req.scope, req.params.id)
  res.json({ supplier_order: await suppliersModule(req.scope).retrieveSupplierOrder(req.params.id, { select: [...SUPPLIER_ORDER_FIELDS] }) })
}
