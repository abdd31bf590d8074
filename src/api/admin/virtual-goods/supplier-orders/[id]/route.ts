import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { suppliersModule } from "../../../../../workflows/suppliers/utils/suppliers-module"
import { SUPPLIER_ORDER_FIELDS } from "../route"

/** A supplier order with every exchange and decision (the supplier's answers sanitized, attempts counted). */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const suppliers = suppliersModule(req.scope)
  const order = await suppliers.retrieveSupplierOrder(req.params.id, { select: [...SUPPLIER_ORDER_FIELDS] })
  const events = await suppliers.listSupplierOrderEvents({ supplier_order_id: order.id }, { order: { created_at: "ASC", id: "ASC" } })
  res.json({ supplier_order: order, events })
}
