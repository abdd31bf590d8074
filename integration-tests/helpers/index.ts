import jwt from "jsonwebtoken"
import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PriceListStatus } from "@medusajs/framework/utils"
import { createCustomerGroupsWorkflow, createPriceListsWorkflow } from "@medusajs/medusa/core-flows"
import { setupVirtualStore, VirtualStore } from "../../src/scripts/setup-virtual-store"
import { revealLinkKey, revealUrlOf } from "../../src/modules/card-vault/utils/reveal-link"

export type Api = any

/** Headers of an admin user, signed like Medusa's own login would. */
export async function createAdminHeaders(container: MedusaContainer, email = "admin@test.dev") {
  const user = await container.resolve(Modules.USER).createUsers({ email })
  const auth = await container.resolve(Modules.AUTH).createAuthIdentities({
    provider_identities: [{ provider: "emailpass", entity_id: email }],
    app_metadata: { user_id: user.id },
  })
  const token = jwt.sign(
    { actor_id: user.id, actor_type: "user", auth_identity_id: auth.id, app_metadata: { user_id: user.id } },
    process.env.JWT_SECRET || "supersecret",
    { expiresIn: "1d" }
  )
  return { user, headers: { authorization: `Bearer ${token}` } }
}

/**
 * The guest link a notification stands for, rendered as a notification provider renders it: the data holds only the
 * link's id and URL template, the token is derived with the link key (from the test environment's keys).
 */
export function revealUrlFromNotification(notification: { data?: unknown }): string {
  const url = revealUrlOf(notification.data, revealLinkKey())
  if (!url) throw new Error(`notification without a reveal link: ${JSON.stringify(notification.data)}`)
  return url
}

/** The token of a notification's guest link (the last segment of its URL). */
export const revealTokenFromNotification = (notification: { data?: unknown }) =>
  decodeURIComponent(revealUrlFromNotification(notification).split("/").pop() as string)

export async function createVirtualStore(container: MedusaContainer, codes = 10): Promise<VirtualStore> {
  return setupVirtualStore(container, {
    name: "Test store",
    products: [
      { title: "Youku VIP monthly", handle: "youku-monthly", sku: "YOUKU", price: 15, codes },
      { title: "Game points 100", handle: "game-points-100", sku: "GP100", price: 10, codes: 0 },
    ],
  })
}

export const storeHeaders = (store: VirtualStore, token?: string) => ({
  "x-publishable-api-key": store.publishable_key,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
})

/** Registers a shopper through the store API and returns a logged-in bearer token. */
export async function registerCustomer(api: Api, store: VirtualStore, email: string, password = "Passw0rd!") {
  const reg = await api.post("/auth/customer/emailpass/register", { email, password })
  const created = await api.post("/store/customers", { email }, { headers: storeHeaders(store, reg.data.token) })
  const login = await api.post("/auth/customer/emailpass", { email, password })
  return { token: login.data.token as string, customer: created.data.customer }
}

/** A cart with virtual items, an email, no address, and a payment session — ready to complete. */
export async function prepareCart(
  api: Api,
  store: VirtualStore,
  items: { variant_id: string; quantity: number }[],
  opts: { email?: string; token?: string; locale?: string } = {}
) {
  const headers = storeHeaders(store, opts.token)
  const { data } = await api.post(
    "/store/carts",
    { region_id: store.region_id, email: opts.email ?? "buyer@example.com", items, ...(opts.locale ? { locale: opts.locale } : {}) },
    { headers }
  )
  await startPaymentSession(api, store, data.cart.id, opts.token)
  return data.cart
}

/** A (new) payment session with the system provider for a cart, as the storefront's payment step starts one. */
export async function startPaymentSession(api: Api, store: VirtualStore, cartId: string, token?: string) {
  const headers = storeHeaders(store, token)
  const pc = await api.post("/store/payment-collections", { cart_id: cartId }, { headers })
  await api.post(
    `/store/payment-collections/${pc.data.payment_collection.id}/payment-sessions`,
    { provider_id: "pp_system_default" },
    { headers }
  )
}

export async function completeCart(api: Api, store: VirtualStore, cartId: string, token?: string) {
  return api.post(`/store/carts/${cartId}/complete`, {}, { headers: storeHeaders(store, token) })
}

/** Polls until `fn` returns a truthy value (subscribers run after the request returns). */
export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < until) {
    try {
      const value = await fn()
      if (value) return value as T
    } catch (e) {
      last = e
    }
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`waitFor timed out${last ? `: ${(last as Error).message}` : ""}`)
}

/** The first notification sent for an order (its delivery notification), once there is one. */
export const firstNotification = (container: MedusaContainer, orderId: string) =>
  waitFor(async () => {
    const [n] = await container.resolve(Modules.NOTIFICATION).listNotifications({ resource_id: orderId })
    return n
  })

/** Card code counts by status for a pool, read straight from the database. */
export async function poolCounts(db: any, poolId: string) {
  const { rows } = await db.raw(
    `select status, count(*)::int as n from card_code where pool_id = ? and deleted_at is null group by status`,
    [poolId]
  )
  const counts: Record<string, number> = { available: 0, reserved: 0, delivered: 0, revealed: 0, voided: 0, expired: 0 }
  for (const r of rows) counts[r.status] = r.n
  return counts
}

/** The conservation invariant and "no code in two orders", checked in SQL. */
export async function assertVaultInvariants(db: any, poolId: string, imported: number) {
  const c = await poolCounts(db, poolId)
  const total = Object.values(c).reduce((a, b) => a + b, 0)
  expect(total).toBe(imported)
  const { rows: batches } = await db.raw(`select coalesce(sum(code_count), 0)::int as n from card_batch where pool_id = ?`, [poolId])
  expect(batches[0].n).toBe(imported)
  const { rows: orphans } = await db.raw(
    `select count(*)::int as n from card_code where status in ('delivered','revealed') and order_id is null`
  )
  expect(orphans[0].n).toBe(0)
  return c
}

/** Puts the response body of a failed request into the error message, so a failing test says why. */
export function explainHttpErrors(api: Api) {
  api.interceptors?.response.use(
    (r: unknown) => r,
    (e: any) => {
      if (e?.response) e.message = `${e.message}: ${JSON.stringify(e.response.data)}`
      return Promise.reject(e)
    }
  )
}

/** The first payment of an order (what the admin refund and capture routes take). */
export async function paymentIdOf(container: MedusaContainer, orderId: string): Promise<string> {
  const { data } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "order", fields: ["payment_collections.payments.id"], filters: { id: orderId } })
  return (data[0] as any).payment_collections[0].payments[0].id
}

/**
 * Waits until an order's delivery workflow has finished: `n` codes delivered, the delivery recorded and the
 * notification (its last step) sent. Returns the admin view of the order's codes.
 */
export async function waitForDelivery(
  api: Api,
  container: MedusaContainer,
  admin: { headers: Record<string, string> },
  orderId: string,
  n: number,
  timeoutMs?: number
) {
  return waitFor(async () => {
    const { data } = await api.get(`/admin/virtual-goods/orders/${orderId}/codes`, admin)
    const delivered = data.card_codes.filter((c: any) => c.status === "delivered")
    if (delivered.length !== n || data.delivery?.status !== "delivered") return null
    const sent = await container.resolve(Modules.NOTIFICATION).listNotifications({ resource_id: orderId })
    return sent.length ? data : null
  }, timeoutMs)
}

/**
 * The plugin's HTTP routes, read from the route files under `apiDir`: `[param]` folders become sample ids, methods
 * come from the handlers each file exports.
 */
export function listRoutes(apiDir: string): { method: "get" | "post" | "delete"; path: string }[] {
  const fs = require("fs") as typeof import("fs")
  const path = require("path") as typeof import("path")
  const out: { method: "get" | "post" | "delete"; path: string }[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name === "route.ts") {
        const route =
          "/" +
          path
            .relative(apiDir, dir)
            .split(path.sep)
            .map((seg) => seg.replace(/^\[(.+)\]$/, "$1_sample"))
            .join("/")
        const source = fs.readFileSync(full, "utf8")
        for (const m of source.matchAll(/export const (GET|POST|DELETE)\b/g)) {
          out.push({ method: m[1].toLowerCase() as "get" | "post" | "delete", path: route })
        }
      }
    }
  }
  walk(apiDir)
  return out.sort((a, b) => (a.path + a.method).localeCompare(b.path + b.method))
}

/** Headers of a wholesale API request with an agent's key (and an Idempotency-Key for orders). */
export const asAgent = (key: string, idempotencyKey?: string) => ({
  headers: { authorization: `Bearer ${key}`, ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}) },
})

/** A request's status, body and headers, whether it succeeded or not. */
export const settle = (p: Promise<any>): Promise<{ status: number; data: any; headers: any }> =>
  p
    .then((r) => ({ status: r.status, data: r.data, headers: r.headers }))
    .catch((e: any) => ({ status: e.response?.status, data: e.response?.data, headers: e.response?.headers }))

/**
 * An agent created through the admin API (USD unless `body` says otherwise), optionally topped up, with an API key of
 * the given scopes (all three by default).
 */
export async function createAgentWithKey(
  api: Api,
  admin: { headers: Record<string, string> },
  body: Record<string, unknown>,
  options: { topUp?: string; scopes?: string[] } = {}
): Promise<{ id: string; key: string; signing_secret: string }> {
  const { data } = await api.post(`/admin/virtual-goods/agents`, { currency_code: "usd", ...body }, admin)
  const currency = data.agent.accounts[0].currency_code
  if (options.topUp) await api.post(`/admin/virtual-goods/agents/${data.agent.id}/topups`, { currency_code: currency, amount: options.topUp }, admin)
  const scopes = options.scopes ?? ["catalog:read", "orders:read", "orders:write"]
  const { data: k } = await api.post(`/admin/virtual-goods/agents/${data.agent.id}/api-keys`, { name: "erp", scopes }, admin)
  return { id: data.agent.id, key: k.key, signing_secret: k.signing_secret }
}

/**
 * A signed request of a partner (the redemption API): the key as Bearer, and `X-Signature-Timestamp` / `X-Signature`
 * over exactly the body sent (given as the JSON text it is sent as). `sign` overrides what is signed, for tests of
 * altered requests.
 */
export function signedAsAgent(
  agent: { key: string; signing_secret: string },
  method: string,
  path: string,
  body: unknown,
  options: { idempotencyKey?: string; timestamp?: number; sign?: { path?: string; body?: string } } = {}
) {
  const { requestSignature } = require("../../src/api/wholesale/signed-requests") as typeof import("../../src/api/wholesale/signed-requests")
  const text = JSON.stringify(body)
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const signature = requestSignature(agent.signing_secret, method, options.sign?.path ?? path, timestamp, options.sign?.body ?? text)
  return {
    data: text,
    config: {
      headers: {
        authorization: `Bearer ${agent.key}`,
        "content-type": "application/json",
        "x-signature-timestamp": timestamp,
        "x-signature": signature,
        ...(options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : {}),
      },
    },
  }
}

/** A tier (customer group) whose active price list sells the variant at `amount` USD; answers the group's id. */
export async function createTier(container: MedusaContainer, name: string, variantId: string, amount: number): Promise<string> {
  return createTierPrices(container, name, { [variantId]: amount })
}

/** A tier (customer group) whose active price list sells each variant at its amount in USD; answers the group's id. */
export async function createTierPrices(container: MedusaContainer, name: string, amounts: Record<string, number>): Promise<string> {
  const { result: groups } = await createCustomerGroupsWorkflow(container).run({ input: { customersData: [{ name }] } })
  await createPriceListsWorkflow(container).run({
    input: {
      price_lists_data: [
        {
          title: `${name} prices`,
          description: name,
          status: PriceListStatus.ACTIVE,
          rules: { "customer.groups.id": [groups[0].id] },
          prices: Object.entries(amounts).map(([variant_id, amount]) => ({ amount, currency_code: "usd", variant_id })),
        },
      ],
    },
  })
  return groups[0].id
}
