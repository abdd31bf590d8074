/**
 * A fake top-up (直充) supplier on loopback, for the suppliers module's tests.
 *
 * It speaks the protocol that `GENERIC_HTTP_EXAMPLE_CONFIG` describes, implemented here on its own (it imports none of
 * the adapter's code): form-encoded POSTs carrying `app_id`, `timestamp` and `sign` = uppercase MD5 of the parameters
 * sorted by name (`k=v&…`, empty ones left out, `sign` left out) followed by `&key=<secret>`; JSON answers
 * `{ code, msg, data: { order_no, supplier_order_no, status, cost } }`. Endpoints:
 *
 * | path | parameters | answer `data` |
 * |---|---|---|
 * | `/api/recharge` | order_no, product_id, num, charge_account, charge_server?, notify_url?, max_price? | the order (status `processing`) |
 * | `/api/query` | order_no | the order |
 * | `/api/balance` | — | `{ balance, currency }` |
 * | `/api/orders` | since (unix seconds) | `{ orders: [order…] }` |
 * | `/api/cancel` | order_no | the order after the attempt (`canceled` when it was still processing) |
 *
 * Codes: 0 ok, 1001 insufficient balance, 1002 duplicate order number, 1003 invalid recipient, 1004 order not found,
 * 1005 bad signature, 1006 product unavailable, 1007 missing or invalid parameters (unknown app id included), 1009
 * price above max_price. Statuses: processing, success, failed, canceled.
 *
 * State: the balance (integer cents inside, decimal text outside), decreased by each accepted order's cost and given
 * back when an order fails or is canceled; the orders by order number; and how many times each order's top-up really
 * happened (`creditedCount`, which must never exceed 1: a repeated order number answers 1002 and credits nothing).
 * An accepted order completes when it is next looked at (a query, a list, a state helper), or after the delay of
 * `pendingThen`.
 *
 * Failure modes apply to the requests a target matches: a path (default `/api/recharge`, `"*"` for any), a product id,
 * and a count (`times`, default 1; unlimited when only a product is given). Several may apply to one request
 * (`pendingThen` with `lateCallback`, `timeout` with `pendingThen`…).
 */
import http from "http"
import { createHash, randomBytes } from "crypto"
import type { AddressInfo, Socket } from "net"

export type SupplierOrderStatus = "processing" | "success" | "failed" | "canceled"

export type FakeSupplierProduct = { id: string; name: string; unit_cost: string }

export type TopupSupplierOptions = {
  app_id?: string
  secret?: string
  /** Opening balance, decimal text with at most 2 decimals. Default "1000.00". */
  balance?: string
  products?: FakeSupplierProduct[]
  currency?: string
}

export type FakeSupplierOrder = {
  order_no: string
  supplier_order_no: string
  product_id: string
  quantity: number
  charge_account: string
  charge_server: string | null
  notify_url: string | null
  status: SupplierOrderStatus
  cost: string
  created_at: Date
}

export type LoggedRequest = { method: string; path: string; params: Record<string, string>; at: Date }

export type CallbackRecord = { url: string; order_no: string; bad_signature: boolean; status: number | null; body: string; error: string | null }

export type FailureTarget = {
  /** `/api/recharge` by default; `"*"` matches every path. */
  path?: string
  /** Only requests for this product (their `product_id`). */
  productId?: string
  /** How many matching requests; default 1, unlimited when `productId` is given without it. */
  times?: number
}

type Mode =
  | { kind: "slow"; ms: number }
  | { kind: "timeout" }
  | { kind: "error5xx"; status: number }
  | { kind: "drop"; when: "before_credit" | "after_credit" }
  | { kind: "definite_failure"; code: string; msg: string }
  | { kind: "pending_then"; state: "success" | "failed"; afterMs: number }
  | { kind: "late_callback"; url: string | null; delayMs: number }
  | { kind: "bad_signature_callback"; url: string | null }

type Rule = { mode: Mode; path: string; productId: string | null; remaining: number }

type OrderRecord = {
  order_no: string
  supplier_order_no: string
  product_id: string
  quantity: number
  charge_account: string
  charge_server: string | null
  notify_url: string | null
  status: SupplierOrderStatus
  cost_cents: number
  created_at: number
  settle_at: number
  settle_to: "success" | "failed"
}

type Answer = { code: string; msg: string; data?: Record<string, unknown> }

export const SUPPLIER_CODES = {
  ok: "0",
  insufficientBalance: "1001",
  duplicate: "1002",
  invalidRecipient: "1003",
  notFound: "1004",
  badSignature: "1005",
  productUnavailable: "1006",
  invalidParams: "1007",
  priceTooHigh: "1009",
} as const

const MESSAGES: Record<string, string> = {
  "0": "ok",
  "1001": "insufficient balance",
  "1002": "duplicate order number",
  "1003": "invalid recharge account",
  "1004": "order not found",
  "1005": "invalid sign",
  "1006": "product unavailable",
  "1007": "invalid parameters",
  "1009": "price above max_price",
}

export const DEFAULT_FAKE_PRODUCTS: FakeSupplierProduct[] = [
  { id: "mobile-10", name: "Mobile top-up 10 CNY", unit_cost: "9.90" },
  { id: "mobile-50", name: "Mobile top-up 50 CNY", unit_cost: "49.50" },
  { id: "game-60", name: "Game top-up 60 gems", unit_cost: "5.88" },
]

/** Decimal text with at most 2 decimals → integer cents, or null. */
export function toCents(text: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"))
}

/** Integer cents → decimal text with 2 decimals. */
export function centsText(cents: number): string {
  const sign = cents < 0 ? "-" : ""
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

/** The protocol's sign: uppercase MD5 of the sorted non-empty parameters (without `sign`) + `&key=<secret>`. */
export function supplierSign(params: Record<string, string>, secret: string): string {
  const text = Object.keys(params)
    .filter((k) => k !== "sign" && params[k] !== "" && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&")
  return createHash("md5").update(`${text}&key=${secret}`, "utf8").digest("hex").toUpperCase()
}

export class TopupSupplier {
  readonly app_id: string
  readonly secret: string
  readonly currency: string
  /** Every request received, in order (the sign left out). */
  readonly requests: LoggedRequest[] = []
  /** Every callback sent, with our answer. */
  readonly callbacks: CallbackRecord[] = []

  private readonly products: Map<string, FakeSupplierProduct & { cost_cents: number }>
  private readonly ordersByNo = new Map<string, OrderRecord>()
  private readonly credits = new Map<string, number>()
  private balanceCents: number
  private rules: Rule[] = []
  private server: http.Server | null = null
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly pendingCallbacks = new Set<Promise<unknown>>()
  private sequence = 0
  private baseUrl: string | null = null

  constructor(options: TopupSupplierOptions = {}) {
    this.app_id = options.app_id ?? "app_test_1001"
    this.secret = options.secret ?? `secret-${randomBytes(12).toString("hex")}`
    this.currency = options.currency ?? "CNY"
    const balance = toCents(options.balance ?? "1000.00")
    if (balance === null) throw new Error(`balance "${options.balance}" must have at most 2 decimals`)
    this.balanceCents = balance
    this.products = new Map(
      (options.products ?? DEFAULT_FAKE_PRODUCTS).map((p) => {
        const cents = toCents(p.unit_cost)
        if (cents === null) throw new Error(`unit_cost "${p.unit_cost}" must have at most 2 decimals`)
        return [p.id, { ...p, cost_cents: cents }]
      })
    )
  }

  /** The credentials to give the adapter. */
  get credentials(): { app_id: string; secret: string } {
    return { app_id: this.app_id, secret: this.secret }
  }

  get url(): string {
    if (!this.baseUrl) throw new Error("the supplier is not started")
    return this.baseUrl
  }

  async start(): Promise<string> {
    const server = http.createServer((req, res) => this.handle(req, res))
    server.on("connection", (socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    this.server = server
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this.baseUrl
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.pendingCallbacks])
    for (const socket of this.sockets) socket.destroy()
    const server = this.server
    this.server = null
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  // -------------------------------------------------------------------------------------------------------------
  // Failure modes
  // -------------------------------------------------------------------------------------------------------------

  private addRule(mode: Mode, target: FailureTarget = {}): this {
    const times = target.times ?? (target.productId ? Number.POSITIVE_INFINITY : 1)
    this.rules.push({ mode, path: target.path ?? "/api/recharge", productId: target.productId ?? null, remaining: times })
    return this
  }

  /** Answers only after `ms` (the request is handled at once). */
  slow(ms: number, target?: FailureTarget): this {
    return this.addRule({ kind: "slow", ms }, target)
  }

  /** Handles the request (an order is accepted and credited) but never answers: "success after a timeout". */
  timeout(target?: FailureTarget): this {
    return this.addRule({ kind: "timeout" }, target)
  }

  /** Answers an HTML error page with this status (default 502) without handling the request. */
  error5xx(target?: FailureTarget, status = 502): this {
    return this.addRule({ kind: "error5xx", status }, target)
  }

  /** Destroys the connection after reading the request: before handling it, or after the order is accepted and credited. */
  dropConnection(when: "before_credit" | "after_credit", target?: FailureTarget): this {
    return this.addRule({ kind: "drop", when }, target)
  }

  /** Refuses the order (or, targeted at another path, that request) with this code (1001 insufficient balance, 1003 invalid recipient, 1006 …); nothing is created. */
  definiteFailure(code: string, target?: FailureTarget): this {
    return this.addRule({ kind: "definite_failure", code, msg: MESSAGES[code] ?? "refused" }, target)
  }

  /** Accepts the order, which stays `processing` for `afterMs`, then becomes `state` (queries show it). */
  pendingThen(state: "success" | "failed", afterMs: number, target?: FailureTarget): this {
    return this.addRule({ kind: "pending_then", state, afterMs }, target)
  }

  /** Accepts the order and, `delayMs` later, sends a properly signed callback to `url` (null: the order's notify_url). */
  lateCallback(url: string | null, delayMs: number, target?: FailureTarget): this {
    return this.addRule({ kind: "late_callback", url, delayMs }, target)
  }

  /** Accepts the order and sends at once a callback with a bad sign to `url` (null: the order's notify_url). */
  badSignatureCallback(url: string | null, target?: FailureTarget): this {
    return this.addRule({ kind: "bad_signature_callback", url }, target)
  }

  /** Forgets every failure mode not yet used. */
  clearFailures(): this {
    this.rules = []
    return this
  }

  // -------------------------------------------------------------------------------------------------------------
  // State, for assertions
  // -------------------------------------------------------------------------------------------------------------

  orders(): FakeSupplierOrder[] {
    this.settleAll()
    return [...this.ordersByNo.values()].map((o) => this.publicOrder(o))
  }

  order(orderNo: string): FakeSupplierOrder | null {
    const o = this.ordersByNo.get(orderNo)
    if (!o) return null
    this.settle(o)
    return this.publicOrder(o)
  }

  /** How many times the top-up of this order number really happened (0 or 1, never more). */
  creditedCount(orderNo: string): number {
    this.settleAll()
    return this.credits.get(orderNo) ?? 0
  }

  totalCredited(): number {
    this.settleAll()
    let total = 0
    for (const n of this.credits.values()) total += n
    return total
  }

  balance(): string {
    this.settleAll()
    return centsText(this.balanceCents)
  }

  setBalance(text: string): void {
    const cents = toCents(text)
    if (cents === null) throw new Error(`balance "${text}" must have at most 2 decimals`)
    this.balanceCents = cents
  }

  /** Requests to one path. */
  requestsTo(path: string): LoggedRequest[] {
    return this.requests.filter((r) => r.path === path)
  }

  /** Waits for the callbacks under way (late ones included once their delay has passed). */
  async callbacksSent(): Promise<void> {
    while (this.pendingCallbacks.size || this.timers.size) {
      await Promise.allSettled([...this.pendingCallbacks])
      if (this.timers.size) await new Promise((r) => setTimeout(r, 10))
    }
  }

  /**
   * Sends a callback for an order (its current state) to `url`, signed — or, with `badSignature`, with a wrong sign —
   * form-encoded, and returns what we answered.
   */
  async sendCallback(url: string, orderNo: string, options: { badSignature?: boolean } = {}): Promise<{ status: number; body: string }> {
    const record: CallbackRecord = { url, order_no: orderNo, bad_signature: !!options.badSignature, status: null, body: "", error: null }
    this.callbacks.push(record)
    const order = this.ordersByNo.get(orderNo)
    if (!order) throw new Error(`no order ${orderNo}`)
    this.settle(order)
    const params: Record<string, string> = {
      app_id: this.app_id,
      order_no: order.order_no,
      supplier_order_no: order.supplier_order_no,
      status: order.status,
      cost: centsText(order.cost_cents),
      msg: order.status === "success" ? "recharge succeeded" : order.status === "processing" ? "processing" : "recharge failed",
      timestamp: String(Math.floor(Date.now() / 1000)),
    }
    params.sign = options.badSignature ? supplierSign(params, `${this.secret}-wrong`) : supplierSign(params, this.secret)
    const body = new URLSearchParams(params).toString()
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          url,
          { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } },
          (res) => {
            const chunks: Buffer[] = []
            res.on("data", (c: Buffer) => chunks.push(c))
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }))
            res.on("error", reject)
          }
        )
        req.on("error", reject)
        req.setTimeout(10_000, () => req.destroy(new Error("callback timed out")))
        req.end(body)
      })
      record.status = answer.status
      record.body = answer.body
      return answer
    } catch (e) {
      record.error = e instanceof Error ? e.message : String(e)
      throw e
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The protocol
  // -------------------------------------------------------------------------------------------------------------

  private publicOrder(o: OrderRecord): FakeSupplierOrder {
    return {
      order_no: o.order_no,
      supplier_order_no: o.supplier_order_no,
      product_id: o.product_id,
      quantity: o.quantity,
      charge_account: o.charge_account,
      charge_server: o.charge_server,
      notify_url: o.notify_url,
      status: o.status,
      cost: centsText(o.cost_cents),
      created_at: new Date(o.created_at),
    }
  }

  private settle(o: OrderRecord, force = false): void {
    if (o.status !== "processing") return
    if (!force && Date.now() < o.settle_at) return
    o.status = o.settle_to
    if (o.status === "success") {
      this.credits.set(o.order_no, (this.credits.get(o.order_no) ?? 0) + 1)
    } else {
      this.balanceCents += o.cost_cents
    }
  }

  private settleAll(): void {
    for (const o of this.ordersByNo.values()) this.settle(o)
  }

  private orderData(o: OrderRecord): Record<string, unknown> {
    return { order_no: o.order_no, supplier_order_no: o.supplier_order_no, status: o.status, cost: centsText(o.cost_cents) }
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
  }

  private scheduleCallback(url: string | null, order: OrderRecord, delayMs: number, badSignature: boolean): void {
    const target = url ?? order.notify_url
    if (!target) return
    this.later(delayMs, () => {
      const sending = this.sendCallback(target, order.order_no, { badSignature }).catch(() => undefined)
      this.pendingCallbacks.add(sending)
      void sending.finally(() => this.pendingCallbacks.delete(sending))
    })
  }

  /** Every failure mode matching this request (each used once more), in the order they were set. */
  private takeModes(path: string, params: Record<string, string>): Mode[] {
    const matching = this.rules.filter(
      (r) => r.remaining > 0 && (r.path === "*" || r.path === path) && (r.productId === null || r.productId === params.product_id)
    )
    for (const rule of matching) rule.remaining -= 1
    this.rules = this.rules.filter((r) => r.remaining > 0)
    return matching.map((r) => r.mode)
  }

  private async readParams(req: http.IncomingMessage): Promise<Record<string, string>> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString("utf8")
    const url = new URL(req.url ?? "/", "http://localhost")
    const params: Record<string, string> = Object.fromEntries(url.searchParams)
    if (String(req.headers["content-type"] ?? "").includes("json") && raw.trim()) {
      const parsed: unknown = JSON.parse(raw)
      if (parsed && typeof parsed === "object") {
        for (const [k, v] of Object.entries(parsed)) params[k] = v === null || v === undefined ? "" : String(v)
      }
    } else {
      for (const [k, v] of new URLSearchParams(raw)) params[k] = v
    }
    return params
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    void this.handleAsync(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" })
        res.end("internal error")
      }
    })
  }

  private async handleAsync(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname
    let params: Record<string, string>
    try {
      params = await this.readParams(req)
    } catch {
      return this.reply(res, 200, { code: SUPPLIER_CODES.invalidParams, msg: "unreadable body" })
    }
    const logged = { ...params }
    delete logged.sign
    this.requests.push({ method: req.method ?? "GET", path, params: logged, at: new Date() })

    const modes = this.takeModes(path, params)
    const find = <K extends Mode["kind"]>(kind: K) => modes.find((m): m is Extract<Mode, { kind: K }> => m.kind === kind)
    const error5xx = find("error5xx")
    if (error5xx) {
      res.writeHead(error5xx.status, { "content-type": "text/html" })
      res.end(`<html><body><h1>${error5xx.status} Bad Gateway</h1></body></html>`)
      return
    }
    const drop = find("drop")
    if (drop?.when === "before_credit") {
      req.socket.destroy()
      return
    }

    const answer = this.dispatch(req.method ?? "GET", path, params, modes)

    if (find("timeout")) return // the socket stays open until the client gives up or stop()
    if (drop) {
      this.settleAll()
      req.socket.destroy()
      return
    }
    const slow = find("slow")
    if (slow) {
      this.later(slow.ms, () => this.reply(res, 200, answer))
      return
    }
    this.reply(res, 200, answer)
  }

  private reply(res: http.ServerResponse, status: number, answer: Answer): void {
    if (res.writableEnded || res.destroyed) return
    const body = JSON.stringify(answer)
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) })
    res.end(body)
  }

  private fail(code: string, msg?: string): Answer {
    return { code, msg: msg ?? MESSAGES[code] ?? "error" }
  }

  private dispatch(method: string, path: string, params: Record<string, string>, modes: Mode[]): Answer {
    if (method !== "POST") return this.fail(SUPPLIER_CODES.invalidParams, "POST only")
    if (!params.sign || !params.timestamp) return this.fail(SUPPLIER_CODES.invalidParams, "missing sign or timestamp")
    if (params.app_id !== this.app_id) return this.fail(SUPPLIER_CODES.invalidParams, "unknown app_id")
    if (params.sign.toUpperCase() !== supplierSign(params, this.secret)) return this.fail(SUPPLIER_CODES.badSignature)

    if (path !== "/api/recharge") {
      for (const mode of modes) if (mode.kind === "definite_failure") return this.fail(mode.code, mode.msg)
    }
    switch (path) {
      case "/api/recharge":
        return this.recharge(params, modes)
      case "/api/query": {
        const order = this.ordersByNo.get(params.order_no ?? "")
        if (!order) return this.fail(SUPPLIER_CODES.notFound)
        this.settle(order)
        return { code: SUPPLIER_CODES.ok, msg: "ok", data: this.orderData(order) }
      }
      case "/api/balance":
        this.settleAll()
        return { code: SUPPLIER_CODES.ok, msg: "ok", data: { balance: centsText(this.balanceCents), currency: this.currency } }
      case "/api/orders": {
        const since = Number(params.since)
        if (!params.since || !Number.isInteger(since)) return this.fail(SUPPLIER_CODES.invalidParams, "since must be unix seconds")
        this.settleAll()
        const orders = [...this.ordersByNo.values()].filter((o) => o.created_at >= since * 1000).map((o) => this.orderData(o))
        return { code: SUPPLIER_CODES.ok, msg: "ok", data: { orders } }
      }
      case "/api/cancel": {
        const order = this.ordersByNo.get(params.order_no ?? "")
        if (!order) return this.fail(SUPPLIER_CODES.notFound)
        this.settle(order)
        if (order.status === "processing") {
          order.status = "canceled"
          this.balanceCents += order.cost_cents
        }
        return { code: SUPPLIER_CODES.ok, msg: "ok", data: this.orderData(order) }
      }
      default:
        return this.fail("404", "no such endpoint")
    }
  }

  private recharge(params: Record<string, string>, modes: Mode[]): Answer {
    const orderNo = params.order_no ?? ""
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(orderNo)) return this.fail(SUPPLIER_CODES.invalidParams, "invalid order_no")
    const existing = this.ordersByNo.get(orderNo)
    if (existing) return { code: SUPPLIER_CODES.duplicate, msg: MESSAGES["1002"], data: { order_no: orderNo } }
    for (const mode of modes) if (mode.kind === "definite_failure") return this.fail(mode.code, mode.msg)

    const product = this.products.get(params.product_id ?? "")
    if (!product) return this.fail(SUPPLIER_CODES.productUnavailable)
    const quantity = Number(params.num ?? "1")
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100) return this.fail(SUPPLIER_CODES.invalidParams, "invalid num")
    const account = params.charge_account ?? ""
    if (!/^[A-Za-z0-9_.@-]{3,64}$/.test(account) || /^0+$/.test(account)) return this.fail(SUPPLIER_CODES.invalidRecipient)
    if (params.max_price) {
      const max = toCents(params.max_price)
      if (max === null) return this.fail(SUPPLIER_CODES.invalidParams, "invalid max_price")
      if (product.cost_cents > max) return this.fail(SUPPLIER_CODES.priceTooHigh)
    }
    const cost = product.cost_cents * quantity
    if (cost > this.balanceCents) return this.fail(SUPPLIER_CODES.insufficientBalance)

    this.balanceCents -= cost
    const now = Date.now()
    const pending = modes.find((m) => m.kind === "pending_then")
    const order: OrderRecord = {
      order_no: orderNo,
      supplier_order_no: `SP${now}${String(++this.sequence).padStart(4, "0")}`,
      product_id: product.id,
      quantity,
      charge_account: account,
      charge_server: params.charge_server || null,
      notify_url: params.notify_url || null,
      status: "processing",
      cost_cents: cost,
      created_at: now,
      settle_at: pending?.kind === "pending_then" ? now + pending.afterMs : now,
      settle_to: pending?.kind === "pending_then" ? pending.state : "success",
    }
    this.ordersByNo.set(orderNo, order)
    const answer: Answer = { code: SUPPLIER_CODES.ok, msg: "accepted", data: this.orderData(order) }
    for (const mode of modes) {
      if (mode.kind === "late_callback") this.scheduleCallback(mode.url, order, mode.delayMs, false)
      if (mode.kind === "bad_signature_callback") this.scheduleCallback(mode.url, order, 0, true)
    }
    return answer
  }
}

/** A started fake supplier. */
export async function startTopupSupplier(options?: TopupSupplierOptions): Promise<TopupSupplier> {
  const supplier = new TopupSupplier(options)
  await supplier.start()
  return supplier
}
