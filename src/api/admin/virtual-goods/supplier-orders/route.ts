import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { suppliersModule } from "../../../../workflows/suppliers/utils/suppliers-module"
import type { AdminGetSupplierOrdersParamsType } from "../suppliers/validators"

export const SUPPLIER_ORDER_FIELDS = [
  "id", "supplier_id", "supplier_product_id", "kind", "status", "order_id", "line_item_id", "agent_order_id", "pool_id", "recipient_masked",
  "upstream_product_id", "quantity", "amount", "currency_code", "max_unit_cost", "cost", "upstream_order_no", "attempts", "submitted_at",
  "settled_at", "last_error", "failure_reason", "refund_status", "refunded_at", "resolution", "resolved_by", "created_at", "updated_at",
] as const

/** Supplier orders (top-ups, restocks), newest first, filtered by status, supplier or order; recipients masked. */
export const GET = async (req: MedusaRequest<unknown, AdminGetSupplierOrdersParamsType>, res: MedusaResponse) => {
  const { status, supplier_id, order_id, limit, offset } = req.validatedQuery as AdminGetSupplierOrdersParamsType
  const filters: Record<string, string> = {}
  if (status) filters.status = status
  if (supplier_id) filters.supplier_id = supplier_id
  if (order_id) filters.order_id = order_id
  const [orders, count] = await suppliersModule(req.scope).listAndCountSupplierOrders(filters, {
    select: [...SUPPLIER_ORDER_FIELDS],
    take: limit,
    skip: offset,
    order: { created_at: "DESC", id: "DESC" },
  })
  res.json({ supplier_orders: orders, count, limit, offset })
}
