import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { vaultOf } from "../../../../utils/card-vault"
import { riskModule } from "../../../../../workflows/risk/utils/risk-module"
import { suppliersModule } from "../../../../../workflows/suppliers/utils/suppliers-module"

/**
 * Where a shopper's order of virtual goods stands, in the words a confirmation page shows. `procuring`: paid, and codes
 * of a line are being bought from a supplier (a pass-through purchase); the codes already in hand are delivered.
 */
export type VirtualOrderStatus = "awaiting_payment" | "delivering" | "procuring" | "delivered" | "held" | "refunded" | "canceled"

const OPEN_SUPPLIER_STATUSES = ["pending", "submitting", "accepted", "unknown"]

/**
 * The delivery status of an order, for its confirmation page to follow live: `{ order_id, display_id, status,
 * codes_delivered }` (`procuring` while a line's codes are bought from a supplier). Public by order id like Medusa's own `GET /store/orders/:id` (which shows far more): it says no
 * code, no mask and no address. An unknown id is a 404.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "status", "payment_status", "fulfillment_status"],
    filters: { id: req.params.id },
  })
  // Read as plain fields: the generated graph types leave out the order's computed payment and fulfillment statuses.
  const row: Record<string, unknown> | undefined = data[0]
  const order = row
    ? { id: String(row.id), display_id: row.display_id === null || row.display_id === undefined ? null : Number(row.display_id), status: String(row.status), payment_status: String(row.payment_status ?? "") }
    : undefined
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${req.params.id} was not found`)

  const vault = vaultOf(req)
  const [[delivery], delivered, hold, purchases] = await Promise.all([
    vault.listCardDeliveries({ order_id: order.id }, { select: ["status"], take: 1 }),
    vault.listCardCodes({ order_id: order.id, status: ["delivered", "revealed"] }, { select: ["id"] }),
    riskModule(req.scope).isHeld({ order_id: order.id }),
    suppliersModule(req.scope).listSupplierOrders({ order_id: order.id, kind: "pass_through" }, { select: ["status", "batch_id"] }),
  ])
  // Bought, but its codes not yet on the order (the delivery that follows the import is on its way).
  const bought = purchases.flatMap((p) => (p.status === "succeeded" && p.batch_id ? [p.batch_id] : []))
  const arriving = bought.length ? await vault.listCardCodes({ batch_id: bought, status: "reserved" }, { select: ["id"], take: 1 }) : []
  const procuring = purchases.some((p) => OPEN_SUPPLIER_STATUSES.includes(p.status)) || arriving.length > 0
  let status: VirtualOrderStatus
  if (["refunded", "partially_refunded"].includes(order.payment_status) || delivery?.status === "returned" || hold?.review_status === "rejected") status = "refunded"
  else if (order.status === "canceled") status = "canceled"
  else if (delivery?.status === "delivered" && procuring) status = "procuring"
  else if (delivery?.status === "delivered") status = "delivered"
  else if (hold?.review_status === "pending") status = "held"
  else if (["captured", "partially_captured", "authorized", "partially_authorized"].includes(order.payment_status)) status = "delivering"
  else status = "awaiting_payment"

  res.setHeader("Cache-Control", "no-store")
  res.json({ order_id: order.id, display_id: order.display_id, status, codes_delivered: delivered.length })
}
