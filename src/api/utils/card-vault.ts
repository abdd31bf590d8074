import type { AuthContext, AuthenticatedMedusaRequest, MedusaRequest } from "@medusajs/framework/http"
import type { InferTypeOf } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { CardAlert, CardBatch, CardCode, CardPool } from "../../modules/card-vault/models"
import type CardVaultModuleService from "../../modules/card-vault/service"
import { CARD_CODE_PUBLIC_FIELDS, CardActor, type SealedCardCode } from "../../modules/card-vault/service"
import type { ImportEntry, ImportEntryError } from "../../modules/card-vault/utils/import-entries"
import type { StockCounts } from "../../modules/card-vault/types"
import { cardVaultModule } from "../../workflows/virtual-goods/utils/card-vault-module"
import { withVoucherStates } from "./vouchers"

/**
 * What the vault's routes share: the vault resolved from a request, the audit actor of a request, list pages through
 * Query, and the rows (fields and types) of pools, batches, codes and a customer's order.
 */
export const vaultOf = (req: MedusaRequest): CardVaultModuleService => cardVaultModule(req.scope)

/** The audit actor of a request: its authenticated identity, IP and user agent. */
export function actorOf(req: MedusaRequest & { auth_context?: AuthContext }, type: CardActor["type"], id?: string | null): CardActor {
  return {
    type,
    id: id ?? req.auth_context?.actor_id ?? null,
    ip: req.ip ?? req.socket?.remoteAddress ?? null,
    user_agent: req.get("user-agent") ?? null,
  }
}

/**
 * One page of a list route through Query: the rows matching `filters` (entries left unset by the query string
 * dropped), `limit` from `offset`, in `order`, with the count of all matches — the `{ <rows>, count, offset, limit }`
 * every list route answers.
 *
 * @example
 * const { limit, offset, ...filters } = req.validatedQuery as AdminGetCardAlertsParamsType
 * const { rows, ...page } = await queryListPage(req, { entity: "card_alert", fields: CARD_ALERT_FIELDS, filters, order: { created_at: "DESC" }, limit, offset })
 * res.json({ card_alerts: rows, ...page })
 */
export async function queryListPage<Row = Record<string, unknown>>(
  req: MedusaRequest,
  list: { entity: string; fields: string[]; filters: Record<string, unknown>; order: Record<string, "ASC" | "DESC">; limit: number; offset: number }
): Promise<{ rows: Row[]; count: number; offset: number; limit: number }> {
  const { entity, fields, order, limit, offset } = list
  const filters = Object.fromEntries(Object.entries(list.filters).filter(([, v]) => v !== undefined))
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({ entity, fields, filters, pagination: { skip: offset, take: limit, order } })
  return { rows: data as Row[], count: metadata?.count ?? data.length, offset, limit }
}

export const CARD_POOL_FIELDS = [
  "id",
  "name",
  "description",
  "stock_location_id",
  "allocation_order",
  "low_stock_threshold",
  "expiry_warning_days",
  "kind",
  "pick_premium_bp",
  "pick_show_first",
  "pick_show_last",
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

/** A card pool as `CARD_POOL_FIELDS` reads it. */
export type CardPoolRow = Pick<
  InferTypeOf<typeof CardPool>,
  | "id"
  | "name"
  | "description"
  | "stock_location_id"
  | "allocation_order"
  | "low_stock_threshold"
  | "expiry_warning_days"
  | "kind"
  | "pick_premium_bp"
  | "pick_show_first"
  | "pick_show_last"
  | "created_at"
  | "updated_at"
> & {
  product_variant?: { id: string; title: string; sku: string | null; product_id: string } | null
  alerts?: Pick<InferTypeOf<typeof CardAlert>, "id" | "kind" | "status" | "details" | "created_at">[] | null
}

/** A pool as the admin routes answer it: its active alerts only, and its stock by status. */
export type CardPoolWithStock = Omit<CardPoolRow, "alerts"> & {
  alerts: NonNullable<CardPoolRow["alerts"]>
  stock: StockCounts
}

export const CARD_ALERT_FIELDS = ["id", "pool_id", "kind", "status", "details", "cleared_at", "created_at"]

const CARD_BATCH_FIELD_NAMES = [
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
] as const

export const CARD_BATCH_FIELDS = [...CARD_BATCH_FIELD_NAMES]

/** A card batch as `CARD_BATCH_FIELDS` reads it. */
export type CardBatchRow = Pick<InferTypeOf<typeof CardBatch>, (typeof CARD_BATCH_FIELD_NAMES)[number]>

/** One batch with its progress: `percent` from lines (generation) or bytes (files); 100 once finished. */
export async function fetchCardBatch(req: MedusaRequest, id: string) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "card_batch", fields: CARD_BATCH_FIELDS, filters: { id } })
  if (!data.length) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card batch with id: ${id} was not found`)
  }
  return withProgress(data[0] as CardBatchRow)
}

export function withProgress(batch: CardBatchRow) {
  const total = batch.lines_total ?? batch.bytes_total
  const done = batch.lines_total ? batch.lines_read : batch.bytes_read
  const percent = batch.status !== "importing" ? 100 : total ? Math.min(99, Math.floor((100 * Number(done)) / Number(total))) : 0
  return { ...batch, progress: { percent, lines_read: batch.lines_read, code_count: batch.code_count, rejected_count: batch.rejected_count } }
}

export const CARD_CODE_FIELDS = [...CARD_CODE_PUBLIC_FIELDS]

/** A card code as `CARD_CODE_FIELDS` reads it: masked, never the ciphertext or blind index. */
export type CardCodeRow = Pick<InferTypeOf<typeof CardCode>, (typeof CARD_CODE_PUBLIC_FIELDS)[number]>

/** Pools with their stock by status. */
export async function fetchCardPools(
  req: MedusaRequest,
  filters: Record<string, unknown>,
  pagination?: { skip: number; take: number }
): Promise<{ pools: CardPoolWithStock[]; count: number }> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "card_pool",
    fields: CARD_POOL_FIELDS,
    filters,
    pagination: pagination ? { ...pagination, order: { created_at: "DESC" } } : undefined,
  })
  const rows = data as CardPoolRow[]
  const stock = await vaultOf(req).getStockCounts(rows.map((p) => p.id))
  return {
    pools: rows.map((p) => ({
      ...p,
      // Only what needs attention now; GET /admin/virtual-goods/alerts has the history.
      alerts: (p.alerts ?? []).filter((a) => a.status === "active"),
      stock: stock[p.id],
    })),
    count: metadata?.count ?? data.length,
  }
}

/**
 * Seals validated import entries for a pool (before any workflow: no plaintext enters one) and adds to `errors` a line
 * for each code the vault already holds; `errors` ends sorted by line. Nothing is stored.
 */
export async function sealNewCodes(
  vault: CardVaultModuleService,
  poolId: string,
  entries: ImportEntry[],
  errors: ImportEntryError[]
): Promise<SealedCardCode[]> {
  const sealed = vault.sealCodes(poolId, entries)
  const existing = await vault.findExistingBlindIndexes(sealed.map((s) => s.blind_index))
  for (const s of sealed) {
    if (existing.has(s.blind_index)) errors.push({ line: s.line, field: "code", message: "is already in the vault" })
  }
  errors.sort((a, b) => a.line - b.line)
  return sealed
}

export async function fetchCardPool(req: MedusaRequest, id: string) {
  const { pools } = await fetchCardPools(req, { id })
  if (!pools.length) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${id} was not found`)
  }
  return pools[0]
}

/** Masked codes of an order, oldest first. */
export async function fetchOrderCodes(req: MedusaRequest, orderId: string | string[]): Promise<CardCodeRow[]> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "card_code",
    fields: CARD_CODE_FIELDS,
    filters: { order_id: orderId },
    pagination: { order: { id: "ASC" } },
  })
  return data as CardCodeRow[]
}

/**
 * The codes of orders (or of other owners: campaigns' grants) as their shopper sees them, by owner, in one read:
 * delivered, revealed or voided, masked, with the voucher state of the store's own vouchers.
 */
export async function shopperCodesByOwner(req: MedusaRequest, ownerIds: string[]) {
  const byOwner = new Map<string, Awaited<ReturnType<typeof views>>>(ownerIds.map((id) => [id, []]))
  if (!ownerIds.length) return byOwner
  const codes = (await fetchOrderCodes(req, ownerIds)).filter((c) => c.status === "delivered" || c.status === "revealed" || c.status === "voided")
  const owners = new Map(codes.map((c) => [c.id, c.order_id]))
  const views = (rows: typeof codes) =>
    withVoucherStates(req.scope, rows, (c) => ({
      id: c.id,
      line_item_id: c.line_item_id,
      status: c.status,
      mask: c.mask,
      has_password: c.has_password,
      expires_at: c.expires_at,
      delivered_at: c.delivered_at,
      revealed_at: c.revealed_at,
    }))
  for (const view of await views(codes)) byOwner.get(owners.get(view.id) ?? "")?.push(view)
  return byOwner
}

/** One owner's codes as its shopper sees them (see `shopperCodesByOwner`). */
export async function shopperCodesOf(req: MedusaRequest, ownerId: string) {
  return (await shopperCodesByOwner(req, [ownerId])).get(ownerId) ?? []
}

type CustomerOrderRow = { id: string; display_id: number; customer_id: string | null; email: string | null; created_at: Date }

/**
 * The order if it belongs to the logged-in customer. Another customer's order and a missing one give the
 * same 404, so order ids cannot be probed.
 */
export async function retrieveCustomerOrder(req: AuthenticatedMedusaRequest, orderId: string): Promise<CustomerOrderRow> {
  const customerId = req.auth_context?.actor_id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "customer_id", "email", "created_at"],
    filters: { id: orderId },
  })
  const order = data[0] as CustomerOrderRow | undefined
  if (!order || !customerId || order.customer_id !== customerId) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  }
  return order
}
