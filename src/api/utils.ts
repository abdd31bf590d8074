import type { MedusaRequest } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { CARD_VAULT_MODULE } from "../modules/card-vault"
import type CardVaultModuleService from "../modules/card-vault/service"
import { CARD_CODE_PUBLIC_FIELDS, CardActor } from "../modules/card-vault/service"

export const vaultOf = (req: MedusaRequest): CardVaultModuleService => req.scope.resolve(CARD_VAULT_MODULE)

/** The audit actor of a request: its authenticated identity, IP and user agent. */
export function actorOf(req: MedusaRequest, type: CardActor["type"], id?: string | null): CardActor {
  return {
    type,
    id: id ?? (req as any).auth_context?.actor_id ?? null,
    ip: req.ip ?? req.socket?.remoteAddress ?? null,
    user_agent: req.get("user-agent") ?? null,
  }
}

export const CARD_POOL_FIELDS = [
  "id",
  "name",
  "description",
  "stock_location_id",
  "allocation_order",
  "low_stock_threshold",
  "expiry_warning_days",
  "created_at",
  "updated_at",
  "product_variant.id",
  "product_variant.title",
  "product_variant.sku",
  "product_variant.product_id",
  "alerts.id",
  "alerts.kind",
  "alerts.status",
  "alerts.details",
  "alerts.created_at",
]

export const CARD_ALERT_FIELDS = ["id", "pool_id", "kind", "status", "details", "cleared_at", "created_at"]

export const CARD_BATCH_FIELDS = [
  "id",
  "pool_id",
  "supplier",
  "cost_per_code",
  "currency_code",
  "expires_at",
  "file_hash",
  "source",
  "status",
  "code_count",
  "rejected_count",
  "mode",
  "file_name",
  "lines_read",
  "lines_total",
  "bytes_read",
  "bytes_total",
  "generator",
  "error",
  "finished_at",
  "created_by",
  "created_at",
  "updated_at",
]

/** One batch with its progress: `percent` from lines (generation) or bytes (files); 100 once finished. */
export async function fetchCardBatch(req: MedusaRequest, id: string) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "card_batch", fields: CARD_BATCH_FIELDS, filters: { id } })
  if (!data.length) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card batch with id: ${id} was not found`)
  }
  return withProgress(data[0])
}

export function withProgress(batch: any) {
  const total = batch.lines_total ?? batch.bytes_total
  const done = batch.lines_total ? batch.lines_read : batch.bytes_read
  const percent = batch.status !== "importing" ? 100 : total ? Math.min(99, Math.floor((100 * Number(done)) / Number(total))) : 0
  return { ...batch, progress: { percent, lines_read: batch.lines_read, code_count: batch.code_count, rejected_count: batch.rejected_count } }
}

export const CARD_CODE_FIELDS = [...CARD_CODE_PUBLIC_FIELDS]

/** Pools with their stock by status. */
export async function fetchCardPools(
  req: MedusaRequest,
  filters: Record<string, unknown>,
  pagination?: { skip: number; take: number }
) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "card_pool",
    fields: CARD_POOL_FIELDS,
    filters,
    pagination: pagination ? { ...pagination, order: { created_at: "DESC" } } : undefined,
  })
  const stock = await vaultOf(req).getStockCounts((data as any[]).map((p) => p.id))
  return {
    pools: (data as any[]).map((p) => ({
      ...p,
      // Only what needs attention now; GET /admin/virtual-goods/alerts has the history.
      alerts: (p.alerts ?? []).filter((a: any) => a.status === "active"),
      stock: stock[p.id],
    })),
    count: metadata?.count ?? data.length,
  }
}

export async function fetchCardPool(req: MedusaRequest, id: string) {
  const { pools } = await fetchCardPools(req, { id })
  if (!pools.length) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${id} was not found`)
  }
  return pools[0]
}

/** Masked codes of an order, oldest first. */
export async function fetchOrderCodes(req: MedusaRequest, orderId: string) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "card_code",
    fields: CARD_CODE_FIELDS,
    filters: { order_id: orderId },
    pagination: { order: { id: "ASC" } } as any,
  })
  return data
}

/**
 * The order if it belongs to the logged-in customer. Another customer's order and a missing one give the
 * same 404, so order ids cannot be probed.
 */
export async function retrieveCustomerOrder(req: MedusaRequest, orderId: string) {
  const customerId = (req as any).auth_context?.actor_id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "customer_id", "email", "created_at"],
    filters: { id: orderId },
  })
  const order: any = data[0]
  if (!order || !customerId || order.customer_id !== customerId) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  }
  return order
}
