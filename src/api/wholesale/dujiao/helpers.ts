import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { isIP } from "net"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { AgentOrderRow, AgentPrincipal } from "../../../modules/agents/service"
import { DUJIAO_MAX_SKEW_SECONDS, dujiaoSignature } from "../../../modules/suppliers/adapters/dujiao-next"
import { safeEqualHex } from "../../../modules/suppliers/adapters/signatures"
import { isPublicAddress } from "../../../utils/outbound-http"
import { agentsModule } from "../../../workflows/agents/utils/agents-module"
import { agentUnitPrices } from "../../../workflows/agents/utils/pricing"
import { fetchCardPools } from "../../utils/card-vault"
import type { AgentRequest } from "../helpers"

/** Where the dujiao-next compatible routes are mounted: a dujiao-next shop's base URL is `https://<store>/wholesale/dujiao`. */
export const DUJIAO_MOUNT = "/wholesale/dujiao"

/** A dujiao-next request whose raw body Medusa's JSON parser kept (`bodyParser: { preserveRawBody: true }`). */
type SignedRequest = AgentRequest & { rawBody?: Buffer | string }

/** An error answered in dujiao-next's envelope: `{ ok: false, error_code, error_message }` with its HTTP status. */
export class DujiaoError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message)
    this.name = "DujiaoError"
  }
}

export function sendDujiaoError(res: MedusaResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  res.status(status).json({ ok: false, ...extra, error_code: code, error_message: message })
}

const MEDUSA_ERRORS: Record<string, [number, string]> = {
  [MedusaError.Types.UNAUTHORIZED]: [401, "unauthorized"],
  [MedusaError.Types.FORBIDDEN]: [403, "forbidden"],
  [MedusaError.Types.NOT_FOUND]: [404, "not_found"],
  [MedusaError.Types.INVALID_DATA]: [400, "bad_request"],
  [MedusaError.Types.NOT_ALLOWED]: [400, "bad_request"],
}

/**
 * The MedusaError type of an error, also of one that came out of a workflow (which hands back the error's fields, not
 * the MedusaError instance); null for anything else.
 */
export function medusaErrorType(e: unknown): string | null {
  if (e instanceof MedusaError) return e.type
  if (typeof e !== "object" || e === null || !("type" in e) || typeof e.type !== "string") return null
  return Object.values<string>(MedusaError.Types).includes(e.type) ? e.type : null
}

/** The message of an error or of an error's fields. */
export const errorMessage = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" ? e.message : ""

/**
 * A route handler answering errors in dujiao-next's envelope: a `DujiaoError` as it says, a MedusaError by its type
 * (its message is ours and holds no secret), anything else as 500 `internal_error` (logged, not shown).
 */
export function dujiaoRoute(handler: (req: AgentRequest, res: MedusaResponse) => Promise<void>) {
  return async (req: MedusaRequest, res: MedusaResponse) => {
    try {
      await handler(req, res)
    } catch (e) {
      if (e instanceof DujiaoError) return sendDujiaoError(res, e.status, e.code, e.message, e.extra)
      const type = medusaErrorType(e)
      const known = type ? MEDUSA_ERRORS[type] : undefined
      if (known) return sendDujiaoError(res, known[0], known[1], errorMessage(e))
      req.scope.resolve(ContainerRegistrationKeys.LOGGER).error(`dujiao-next ${req.method} ${req.path}: ${(e as Error)?.message ?? String(e)}`)
      sendDujiaoError(res, 500, "internal_error", "internal error")
    }
  }
}

/** The paths a request may have been signed over: relative to the mount (as dujiao-next's client signs) and in full. */
export function signedPaths(req: MedusaRequest): string[] {
  const full = (req.originalUrl ?? req.url).split("?")[0]
  return full.startsWith(`${DUJIAO_MOUNT}/`) ? [full.slice(DUJIAO_MOUNT.length), full] : [full]
}

/**
 * dujiao-next's authentication: `Dujiao-Next-Api-Key` (the agent key's public part, `vgk_<prefix>`),
 * `Dujiao-Next-Timestamp` (unix seconds, within ±60 s) and `Dujiao-Next-Signature` (lower-case hex
 * HMAC-SHA256(secret, "METHOD\nPATH\nTIMESTAMP\nmd5hex(body)")) with the key's derived signing secret. Failures are
 * answered here in dujiao-next's envelope and codes; success sets `req.agent` like the wholesale API's key check.
 */
export async function authenticateDujiao(req: SignedRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const apiKey = (req.get("dujiao-next-api-key") ?? "").trim()
  const timestamp = (req.get("dujiao-next-timestamp") ?? "").trim()
  const signature = (req.get("dujiao-next-signature") ?? "").trim()
  if (!apiKey || !timestamp || !signature) return sendDujiaoError(res, 401, "missing_auth_headers", "missing authentication headers")
  const ts = /^-?\d{1,15}$/.test(timestamp) ? Number(timestamp) : NaN
  if (!Number.isSafeInteger(ts)) return sendDujiaoError(res, 401, "invalid_timestamp", "invalid timestamp")
  if (Math.abs(Math.floor(Date.now() / 1000) - ts) > DUJIAO_MAX_SKEW_SECONDS) return sendDujiaoError(res, 401, "timestamp_expired", "timestamp expired")
  const agents = agentsModule(req.scope)
  let principal: AgentPrincipal
  let secret: string
  try {
    principal = await agents.authenticateApiKeyPrefix(apiKey)
    secret = agents.dujiaoSigningSecret(principal.key_id)
  } catch (e) {
    if (e instanceof MedusaError && e.type === MedusaError.Types.UNAUTHORIZED) return sendDujiaoError(res, 403, "invalid_api_key", "api key is invalid or disabled")
    if (e instanceof MedusaError && e.type === MedusaError.Types.NOT_ALLOWED && /frozen/.test(e.message)) return sendDujiaoError(res, 403, "user_disabled", "user is disabled")
    return next(e)
  }
  const raw = req.rawBody === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.from(req.rawBody, "utf8")
  const valid = signedPaths(req).some((path) => safeEqualHex(signature, dujiaoSignature(secret, req.method, path, ts, raw)))
  if (!valid) return sendDujiaoError(res, 401, "invalid_signature", "invalid signature")
  req.agent = principal
  next()
}

/** An amount as dujiao-next shows money: decimal text with 2 places (exact, rounded half up). */
export const money2 = (value: string | number): string => MathBN.convert(value).toFixed(2)

const localized = (text: string | null | undefined) => {
  const value = text ?? ""
  return { "zh-CN": value, "zh-TW": value, "en-US": value }
}

/** The category of products that have none of their own (dujiao-next products always have one). */
export const DEFAULT_CATEGORY_ID = "virtual-goods"

type ProductRow = {
  id: string
  handle: string | null
  title: string
  subtitle: string | null
  description: string | null
  thumbnail: string | null
  status: string
  images?: { url: string }[] | null
  categories?: { id: string; name: string; handle: string; parent_category_id: string | null; rank: number | null }[] | null
  created_at: string | Date
  updated_at: string | Date
}
type VariantRow = { id: string; sku: string | null; title: string | null; product_id: string; options?: { value: string; option?: { title: string } | null }[] | null }
type CatalogPool = { product_variant?: { id: string } | null; stock: { available: number } }

export type DujiaoCategory = { id: number; parent_id: number; slug: string; name: Record<string, string>; icon: string; sort_order: number }
export type DujiaoSku = {
  id: number
  sku_code: string
  spec_values: Record<string, string>
  price_amount: string
  stock_status: "unlimited" | "in_stock" | "low_stock" | "out_of_stock"
  stock_quantity: number
  is_active: boolean
}
export type DujiaoProduct = {
  id: number
  slug: string
  seo_meta: Record<string, unknown>
  title: Record<string, string>
  description: Record<string, string>
  content: Record<string, string>
  images: string[]
  tags: string[]
  price_amount: string
  fulfillment_type: "auto" | "manual"
  manual_form_schema: null
  is_active: boolean
  category_id: number
  skus: DujiaoSku[]
  created_at: string
  updated_at: string
}

const stockStatus = (n: number): DujiaoSku["stock_status"] => (n <= 0 ? "out_of_stock" : n <= 20 ? "low_stock" : "in_stock")
const iso = (d: string | Date) => new Date(d).toISOString()

/**
 * The agent's wholesale catalog in dujiao-next's shape: one product per Medusa product that sells variants from card
 * pools, one SKU per such variant priced at the agent's tier price (2 decimals, in the agent's currency, as its
 * wholesale catalog prices it), stock from the pool. Variants without a price in the agent's currency are left out.
 * Ids are numbers, as dujiao-next's clients read them: each product, variant and category has its numeric alias
 * (given on first use, kept); `product_numbers` maps our product ids to theirs.
 */
export async function dujiaoCatalog(
  scope: MedusaContainer,
  req: MedusaRequest,
  principal: AgentPrincipal
): Promise<{ products: DujiaoProduct[]; categories: DujiaoCategory[]; product_numbers: Map<string, number> }> {
  const agents = agentsModule(scope)
  const agent = await agents.retrieveAgent(principal.agent_id)
  const [account] = await agents.balances([principal.agent_id])
  if (!account) throw new DujiaoError(403, "user_disabled", "this api user has no account")
  const { pools } = await fetchCardPools(req, {})
  const available = new Map((pools as CatalogPool[]).flatMap((p) => (p.product_variant?.id ? [[p.product_variant.id, p.stock.available] as const] : [])))
  const tier = agent.customer_group_id ?? null
  const prices = await agentUnitPrices(scope, { variant_ids: [...available.keys()], currency_code: account.currency_code, tiers: [tier] })
  const priced = [...available.keys()].filter((id) => (prices.get(id)?.get(tier) ?? null) !== null)
  if (!priced.length) return { products: [], categories: [], product_numbers: new Map() }
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "title", "product_id", "options.value", "options.option.title"],
    filters: { id: priced },
  })
  const byProduct = new Map<string, VariantRow[]>()
  for (const v of variants as VariantRow[]) byProduct.set(v.product_id, [...(byProduct.get(v.product_id) ?? []), v])
  const { data: rows } = await query.graph({
    entity: "product",
    fields: ["id", "handle", "title", "subtitle", "description", "thumbnail", "status", "images.url", "categories.id", "categories.name", "categories.handle", "categories.parent_category_id", "categories.rank", "created_at", "updated_at"],
    filters: { id: [...byProduct.keys()] },
  })
  const categoryIds = new Set<string>()
  for (const p of rows as ProductRow[]) {
    if (!p.categories?.length) categoryIds.add(DEFAULT_CATEGORY_ID)
    for (const c of p.categories ?? []) {
      categoryIds.add(c.id)
      if (c.parent_category_id) categoryIds.add(c.parent_category_id)
    }
  }
  const [productNo, variantNo, categoryNo] = await Promise.all([
    agents.numericAliasesOf("product", (rows as ProductRow[]).map((p) => p.id)),
    agents.numericAliasesOf("variant", priced),
    agents.numericAliasesOf("category", [...categoryIds]),
  ])
  const categories = new Map<string, DujiaoCategory>()
  const products = (rows as ProductRow[])
    .map((p): DujiaoProduct => {
      const skus = (byProduct.get(p.id) ?? [])
        .sort((a, b) => (variantNo.get(a.id) ?? 0) - (variantNo.get(b.id) ?? 0))
        .map((v): DujiaoSku => {
          const stock = available.get(v.id) ?? 0
          return {
            id: variantNo.get(v.id)!,
            sku_code: v.sku ?? v.id,
            spec_values: Object.fromEntries((v.options ?? []).map((o) => [o.option?.title ?? "option", o.value])),
            price_amount: money2(prices.get(v.id)!.get(tier)!),
            stock_status: stockStatus(stock),
            stock_quantity: Math.max(0, stock),
            is_active: true,
          }
        })
      const category = p.categories?.[0]
      for (const c of p.categories ?? []) {
        const parent = c.parent_category_id ? categoryNo.get(c.parent_category_id)! : 0
        categories.set(c.id, { id: categoryNo.get(c.id)!, parent_id: parent, slug: c.handle, name: localized(c.name), icon: "", sort_order: c.rank ?? 0 })
      }
      if (!category) {
        categories.set(DEFAULT_CATEGORY_ID, { id: categoryNo.get(DEFAULT_CATEGORY_ID)!, parent_id: 0, slug: DEFAULT_CATEGORY_ID, name: localized("Virtual goods"), icon: "", sort_order: 0 })
      }
      const lowest = skus.map((s) => s.price_amount).reduce((a, b) => (MathBN.lt(b, a) ? b : a))
      return {
        id: productNo.get(p.id)!,
        slug: p.handle ?? p.id,
        seo_meta: {},
        title: localized(p.title),
        description: localized(p.subtitle ?? p.description),
        content: localized(p.description),
        images: [...new Set([p.thumbnail, ...(p.images ?? []).map((i) => i.url)].filter((u): u is string => !!u))],
        tags: [],
        price_amount: lowest,
        // Codes come out of the vault with the answer: dujiao-next's automatic (card code) delivery.
        fulfillment_type: "auto",
        manual_form_schema: null,
        is_active: p.status === "published",
        category_id: categoryNo.get(category?.id ?? DEFAULT_CATEGORY_ID)!,
        skus,
        created_at: iso(p.created_at),
        updated_at: iso(p.updated_at),
      }
    })
    .sort((a, b) => a.id - b.id)
  return { products, categories: [...categories.values()], product_numbers: productNo }
}

/** The currency of the agent's account, as dujiao-next writes it ("CNY"). */
export async function agentAccount(scope: MedusaContainer, agentId: string) {
  const [account] = await agentsModule(scope).balances([agentId])
  if (!account) throw new DujiaoError(403, "user_disabled", "this api user has no account")
  return account
}

/** dujiao-next's order status of one of our wholesale orders: answered with its codes (`completed`) or held for a review (`paid`). */
export const dujiaoOrderStatus = (held: boolean): "completed" | "paid" => (held ? "paid" : "completed")

/** The fields every order answer has: `order_id` the order's number (its numeric alias), `order_no` our order id. */
export async function orderFields(scope: MedusaContainer, order: AgentOrderRow, held: boolean) {
  const numbers = await agentsModule(scope).numericAliasesOf("order", [order.id])
  return {
    order_id: numbers.get(order.id)!,
    order_no: order.id,
    status: dujiaoOrderStatus(held),
    amount: money2(order.total ?? "0"),
    currency: (order.currency_code ?? "").toUpperCase(),
  }
}

/** The id behind a dujiao-next id of ours: its numeric alias, or our own id as given. Null for an unknown number. */
export async function idOfDujiaoId(scope: MedusaContainer, kind: "product" | "variant" | "order", given: string): Promise<string | null> {
  if (!/^\d{1,15}$/.test(given)) return given
  return agentsModule(scope).idOfNumericAlias(kind, Number(given))
}

/**
 * One of the agent's completed wholesale orders by its number, our order id or the downstream's order number (its
 * `downstream_order_no`, our Idempotency-Key); 404 `order_not_found` otherwise (another agent's order too).
 */
export async function findDujiaoOrder(scope: MedusaContainer, agentId: string, id: string): Promise<AgentOrderRow> {
  const agents = agentsModule(scope)
  // Our order's number (what dujiao-next asks by), our own id, then the downstream's order number.
  const ours = await idOfDujiaoId(scope, "order", id)
  const byId = ours ? await agents.findCompletedOrder({ id: ours, agent_id: agentId }) : null
  if (byId) return byId
  const byKey = await agents.findOrderByKey({ agent_id: agentId, idempotency_key: id })
  const order = byKey?.status === "completed" ? await agents.findCompletedOrder({ id: byKey.id, agent_id: agentId }) : null
  if (!order) throw new DujiaoError(404, "order_not_found", "order not found")
  return order
}

/** Whether a callback URL is one dujiao-next accepts: http(s) with a host that is not localhost or a private IP literal. */
export function callbackUrlAccepted(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase()
  if (!host || host === "localhost" || host.endsWith(".localhost")) return false
  return isIP(host) === 0 || isPublicAddress(host)
}
