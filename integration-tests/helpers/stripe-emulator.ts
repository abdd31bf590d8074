/**
 * A stateful stand-in for Stripe's API, for the test suite.
 *
 * It serves, over HTTP on 127.0.0.1, the part of Stripe's REST API that Medusa's Stripe provider
 * (`@medusajs/payment-stripe`) and this project call through the official `stripe` SDK: payment intents (create,
 * retrieve, update, confirm, capture, cancel, list), refunds, charges, customers, payment methods, setup intents,
 * disputes and events. Requests are read the way Stripe reads them (form-encoded bodies with bracket notation, query
 * strings for GET and DELETE, `Idempotency-Key` replay) and answered the way Stripe answers (the same objects and
 * the same error shape, `{ error: { type, code, message, payment_intent, ... } }`, with Stripe's HTTP statuses), so
 * the SDK raises the same error classes it raises against Stripe.
 *
 * What a shopper, Stripe itself or a merchant in the Dashboard would do is driven by synchronous test controls
 * (`pay`, `completeAction`, `settle`, `cancel`, `expireAuthorization`, `refundFromDashboard`, `openDispute`,
 * `closeDispute`, `failNextCapture`, `failNextRequest`). Each returns the events Stripe would send for it, shaped
 * like Stripe's events; `signedWebhook` signs one with the SDK's own test-header helper and `deliver` posts it.
 *
 * Amounts are integers in the currency's smallest unit, as in Stripe's API.
 */
import http from "http"
import path from "path"
import { AddressInfo, Socket } from "net"
import { randomBytes } from "crypto"

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

/** A decoded form or query parameter: Stripe's bracket notation becomes nested objects and arrays. */
export type FormValue = string | FormValue[] | FormParams
export interface FormParams {
  [key: string]: FormValue
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

export type Metadata = Record<string, string>
export type PaymentMethodType = "card" | "alipay" | "wechat_pay"
export type CaptureMethod = "automatic" | "automatic_async" | "manual"
export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "canceled"
  | "succeeded"
export type RiskLevel = "normal" | "elevated" | "highest" | "not_assessed" | "unknown"
export type CancellationReason =
  | "duplicate"
  | "fraudulent"
  | "requested_by_customer"
  | "abandoned"
  | "failed_invoice"
  | "void_invoice"
  | "automatic"

/** The body of a Stripe error (`{ error: StripeApiError }`), also the shape of a PaymentIntent's last_payment_error. */
export interface StripeApiError {
  type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error" | "rate_limit_error"
  code?: string
  decline_code?: string
  message: string
  param?: string
  doc_url?: string
  charge?: string
  payment_intent?: StripePaymentIntent
  payment_method?: StripePaymentMethod
}

export interface NextAction {
  type: "alipay_handle_redirect" | "wechat_pay_display_qr_code" | "use_stripe_sdk" | "redirect_to_url"
  alipay_handle_redirect?: { native_data: string | null; native_url: string | null; return_url: string | null; url: string }
  wechat_pay_display_qr_code?: {
    data: string
    hosted_instructions_url: string
    image_data_url: string
    image_url_png: string
    image_url_svg: string
  }
  use_stripe_sdk?: { type: string; source: string }
}

export interface StripePaymentIntent {
  id: string
  object: "payment_intent"
  amount: number
  amount_capturable: number
  amount_received: number
  automatic_payment_methods: { enabled: boolean; allow_redirects?: string } | null
  canceled_at: number | null
  cancellation_reason: CancellationReason | null
  capture_method: CaptureMethod
  client_secret: string
  confirmation_method: "automatic" | "manual"
  created: number
  currency: string
  customer: string | null
  description: string | null
  last_payment_error: StripeApiError | null
  latest_charge: string | null
  livemode: false
  metadata: Metadata
  next_action: NextAction | null
  payment_method: string | null
  payment_method_options: FormParams
  payment_method_types: string[]
  receipt_email: string | null
  setup_future_usage: "on_session" | "off_session" | null
  statement_descriptor: string | null
  status: PaymentIntentStatus
}

export interface ChargeOutcome {
  network_status: "approved_by_network" | "declined_by_network" | "not_sent_to_network" | "reversed_after_approval"
  reason: string | null
  risk_level: RiskLevel
  /** Absent when Radar did not assess the payment (Alipay, WeChat Pay), as in Stripe's charges. */
  risk_score?: number
  seller_message: string
  type: "authorized" | "manual_review" | "issuer_declined" | "blocked" | "invalid"
}

export interface CardDetails {
  brand: string
  country: string
  exp_month: number
  exp_year: number
  fingerprint: string
  funding: "credit" | "debit" | "prepaid" | "unknown"
  last4: string
}

export interface PaymentMethodDetails {
  type: PaymentMethodType
  card?: CardDetails & { network: string; three_d_secure: { result: string } | null }
  alipay?: { buyer_id: string; fingerprint: string; transaction_id: string }
  wechat_pay?: { fingerprint: string; transaction_id: string }
}

export interface StripeCharge {
  id: string
  object: "charge"
  amount: number
  amount_captured: number
  amount_refunded: number
  balance_transaction: string | null
  captured: boolean
  created: number
  currency: string
  customer: string | null
  description: string | null
  disputed: boolean
  failure_code: string | null
  failure_message: string | null
  livemode: false
  metadata: Metadata
  outcome: ChargeOutcome
  paid: boolean
  payment_intent: string
  payment_method: string
  payment_method_details: PaymentMethodDetails
  refunded: boolean
  status: "succeeded" | "pending" | "failed"
}

export interface StripeRefund {
  id: string
  object: "refund"
  amount: number
  balance_transaction: string | null
  charge: string
  created: number
  currency: string
  metadata: Metadata
  payment_intent: string
  reason: "duplicate" | "fraudulent" | "requested_by_customer" | "expired_uncaptured_charge" | null
  status: "pending" | "succeeded" | "failed" | "canceled"
}

export interface StripeAddress {
  city: string | null
  country: string | null
  line1: string | null
  line2: string | null
  postal_code: string | null
  state: string | null
}

export interface StripeCustomer {
  id: string
  object: "customer"
  address: StripeAddress | null
  created: number
  description: string | null
  email: string | null
  livemode: false
  metadata: Metadata
  name: string | null
  phone: string | null
}

export interface StripeDeletedCustomer {
  id: string
  object: "customer"
  deleted: true
}

export interface StripePaymentMethod {
  id: string
  object: "payment_method"
  billing_details: { address: StripeAddress | null; email: string | null; name: string | null; phone: string | null }
  created: number
  customer: string | null
  livemode: false
  metadata: Metadata
  type: PaymentMethodType
  card?: CardDetails
  alipay?: Record<string, never>
  wechat_pay?: Record<string, never>
}

export interface StripeSetupIntent {
  id: string
  object: "setup_intent"
  client_secret: string
  created: number
  customer: string | null
  description: string | null
  livemode: false
  metadata: Metadata
  payment_method: string | null
  payment_method_types: string[]
  status: "requires_payment_method" | "requires_confirmation" | "succeeded" | "canceled"
  usage: "on_session" | "off_session"
}

export type DisputeStatus =
  | "warning_needs_response"
  | "warning_under_review"
  | "warning_closed"
  | "needs_response"
  | "under_review"
  | "won"
  | "lost"

export interface StripeDispute {
  id: string
  object: "dispute"
  amount: number
  charge: string
  created: number
  currency: string
  evidence_details: { due_by: number; has_evidence: boolean; past_due: boolean; submission_count: number }
  is_charge_refundable: boolean
  livemode: false
  metadata: Metadata
  payment_intent: string
  reason: string
  status: DisputeStatus
}

export type StripeObject =
  | StripePaymentIntent
  | StripeCharge
  | StripeRefund
  | StripeCustomer
  | StripeDeletedCustomer
  | StripePaymentMethod
  | StripeSetupIntent
  | StripeDispute

/** An event as Stripe sends it to a webhook endpoint; `data.object` is a snapshot taken when the event happened. */
export interface StripeEvent<T extends StripeObject = StripeObject> {
  id: string
  object: "event"
  api_version: string
  created: number
  data: { object: T }
  livemode: false
  pending_webhooks: number
  request: { id: string | null; idempotency_key: string | null }
  type: string
}

/** One request the emulator received. `params` are decoded from the body (POST) or query string (GET, DELETE). */
export interface RecordedCall {
  method: string
  path: string
  params: FormParams
  idempotency_key: string | null
  /** The HTTP status answered. */
  status: number
  /** True when the answer was a stored response replayed for a repeated Idempotency-Key. */
  replayed: boolean
}

export interface PayOptions {
  method: PaymentMethodType
  /**
   * What the confirmation leads to. By default: a card is authorized (succeeded with automatic capture,
   * requires_capture with manual capture); Alipay and WeChat Pay need the shopper's action (requires_action).
   * "succeeded" and "requires_capture" both mean "authorized" and must agree with the intent's capture_method.
   */
  outcome?: "succeeded" | "requires_capture" | "requires_action" | "processing" | "failed"
  /** Radar's assessment written on the charge's outcome (cards default to normal / 20). */
  risk?: { risk_level: RiskLevel; risk_score?: number }
  /** The card's (or wallet's) fingerprint; random by default. */
  fingerprint?: string
  /** decline_code of a failed card payment (default generic_decline; "fraudulent" when Radar blocks a highest risk). */
  declineCode?: string
}

export type CaptureFailure = "card_declined" | "expired"

export interface InjectedFailure {
  status: number
  type: StripeApiError["type"]
  code?: string
  message?: string
}

export interface SignedWebhook {
  /** The exact bytes Stripe would send (its JSON, indented by two spaces). */
  body: string
  headers: { "stripe-signature": string; "content-type": "application/json" }
}

export interface WebhookOptions {
  /** Unix seconds written into the signature (default: now). */
  timestamp?: number
  /** Alter the body after signing: true changes the object's amount (or adds a field), a function rewrites it. */
  tamper?: boolean | ((body: string) => string)
}

export interface StripeEmulatorOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number
  /** When set, only this secret key is accepted; otherwise any `sk_test_`/`rk_test_` key is. */
  apiKey?: string
  /** The account's API version, written on events (default: the version of the SDK Medusa's provider uses). */
  apiVersion?: string
  /** Payment method types an intent gets with automatic payment methods (default card, alipay, wechat_pay). */
  automaticPaymentMethodTypes?: PaymentMethodType[]
  /** Clock in milliseconds (default Date.now). */
  now?: () => number
}

/** The part of the `stripe` SDK constructor the emulator uses (the SDK's own webhook signing helper). */
interface StripeSdkModule {
  webhooks: { generateTestHeaderString(opts: { payload: string; secret: string; timestamp?: number }): string }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const DEFAULT_API_VERSION = "2024-04-10"
const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
const MANUAL_CAPTURE_TYPES: ReadonlySet<string> = new Set(["card"])
const ZERO_DECIMAL = new Set(
  ["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]
)
const THREE_DECIMAL = new Set(["bhd", "iqd", "jod", "kwd", "omr", "tnd"])

function randomString(length: number): string {
  const bytes = randomBytes(length)
  let out = ""
  for (const b of bytes) out += ALNUM[b % ALNUM.length]
  return out
}

const newId = (prefix: string) => `${prefix}_3${randomString(23)}`

/** The SDK Medusa's Stripe provider uses (its own nested `stripe`), used here for its webhook signing helper. */
export function providerStripeSdk<T = StripeSdkModule>(): T {
  const providerEntry = require.resolve("@medusajs/payment-stripe")
  const sdkPath = require.resolve("stripe", { paths: [path.dirname(providerEntry)] })
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(sdkPath) as T
}

/** An amount in the smallest unit written as Stripe writes it in messages (e.g. "15.00 usd"), without floats. */
function formatAmount(amount: number, currency: string): string {
  const exponent = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2
  const digits = String(Math.abs(amount)).padStart(exponent + 1, "0")
  const whole = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits
  return `${amount < 0 ? "-" : ""}${whole} ${currency}`
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
const toJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Decodes `application/x-www-form-urlencoded` text with Stripe's bracket notation (`a[b]=1`, `a[0]=x`, `a[]=y`). */
export function parseForm(input: string): FormParams {
  interface Tree {
    [key: string]: string | Tree
  }
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "))
    } catch {
      return s
    }
  }
  const root: Tree = {}
  for (const part of input.split("&")) {
    if (!part) continue
    const eq = part.indexOf("=")
    const key = decode(eq < 0 ? part : part.slice(0, eq))
    const value = decode(eq < 0 ? "" : part.slice(eq + 1))
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key)
    if (!match) {
      root[key] = value
      continue
    }
    const segments = [match[1], ...Array.from(match[2].matchAll(/\[([^\]]*)\]/g), (m) => m[1])]
    let node: Tree = root
    segments.forEach((segment, i) => {
      const name = segment === "" ? String(Object.keys(node).length) : segment
      if (i === segments.length - 1) {
        node[name] = value
        return
      }
      const next = node[name]
      if (typeof next !== "object") node[name] = {}
      node = node[name] as Tree
    })
  }
  const arrayify = (tree: Tree): FormParams => {
    const out: FormParams = {}
    for (const [k, v] of Object.entries(tree)) {
      if (typeof v === "string") {
        out[k] = v
        continue
      }
      const keys = Object.keys(v)
      const inner = arrayify(v)
      out[k] =
        keys.length > 0 && keys.every((x) => /^\d+$/.test(x))
          ? keys.sort((a, b) => Number(a) - Number(b)).map((x) => inner[x])
          : inner
    }
    return out
  }
  return arrayify(root)
}

/** An error answered to the client in Stripe's shape. `stored`: kept for Idempotency-Key replay, as Stripe does for
 * requests that started executing (not for validation errors). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeApiError,
    readonly stored = false
  ) {
    super(error.message)
  }
}

const invalid = (message: string, extra: Partial<StripeApiError> = {}, status = 400) =>
  new ApiError(status, { type: "invalid_request_error", message, ...extra })

const missingResource = (kind: string, id: string, param: string) =>
  invalid(`No such ${kind}: '${id}'`, { code: "resource_missing", param, doc_url: "https://stripe.com/docs/error-codes/resource-missing" }, 404)

/** Typed reads of decoded parameters, failing the way Stripe fails on a malformed one. */
class Params {
  constructor(readonly raw: FormParams) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined
  }

  allowOnly(names: readonly string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (!names.includes(key)) {
        throw invalid(`Received unknown parameter: ${key}`, { code: "parameter_unknown", param: key })
      }
    }
  }

  string(name: string): string | undefined {
    const v = this.raw[name]
    if (v === undefined) return undefined
    if (typeof v !== "string") throw invalid(`Invalid string: ${JSON.stringify(v)}`, { code: "parameter_invalid_string", param: name })
    return v
  }

  requiredString(name: string): string {
    const v = this.string(name)
    if (v === undefined || v === "") throw invalid(`Missing required param: ${name}.`, { code: "parameter_missing", param: name })
    return v
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const v = this.string(name)
    if (v === undefined || v === "") return undefined
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalid(`Invalid ${name}: must be one of ${allowed.join(", ")}`, { code: "parameter_invalid_string", param: name })
    }
    return v as T
  }

  integer(name: string): number | undefined {
    const v = this.string(name)
    if (v === undefined || v === "") return undefined
    if (!/^-?\d+$/.test(v)) throw invalid(`Invalid integer: ${v}`, { code: "parameter_invalid_integer", param: name })
    return Number(v)
  }

  boolean(name: string): boolean | undefined {
    const v = this.string(name)
    if (v === undefined || v === "") return undefined
    if (v !== "true" && v !== "false") throw invalid(`Invalid boolean: ${v}`, { code: "parameter_invalid_boolean", param: name })
    return v === "true"
  }

  strings(name: string): string[] | undefined {
    const v = this.raw[name]
    if (v === undefined) return undefined
    const list = Array.isArray(v) ? v : typeof v === "string" && v === "" ? [] : [v]
    return list.map((item) => {
      if (typeof item !== "string") throw invalid(`Invalid array`, { code: "parameter_invalid_array", param: name })
      return item
    })
  }

  object(name: string): FormParams | undefined {
    const v = this.raw[name]
    if (v === undefined || v === "") return undefined
    if (typeof v !== "object" || Array.isArray(v)) throw invalid(`Invalid object`, { code: "parameter_invalid_object", param: name })
    return v
  }

  /** Stripe's metadata update: keys merge, an empty value unsets a key, `metadata=""` clears everything. */
  metadata(current: Metadata, name = "metadata"): Metadata {
    const v = this.raw[name]
    if (v === undefined) return current
    if (v === "") return {}
    if (typeof v !== "object" || Array.isArray(v)) throw invalid(`Invalid object`, { code: "parameter_invalid_object", param: name })
    const next = { ...current }
    for (const [k, value] of Object.entries(v)) {
      if (typeof value !== "string") throw invalid(`Invalid metadata value for ${k}`, { code: "parameter_invalid_string", param: `${name}[${k}]` })
      if (value === "") delete next[k]
      else next[k] = value
    }
    return next
  }

  expand(): string[] {
    return this.strings("expand") ?? []
  }
}

interface HttpAnswer {
  status: number
  body: Json
  headers?: Record<string, string>
}

interface RequestContext {
  requestId: string
  idempotencyKey: string | null
}

type Handler = (match: RegExpExecArray, params: Params, ctx: RequestContext) => HttpAnswer

interface Route {
  method: "GET" | "POST" | "DELETE"
  pattern: RegExp
  handler: Handler
}

interface StoredResponse {
  fingerprint: string
  status: number
  body: Json
}

interface IntentInternals {
  returnUrl: string | null
  failCapture: CaptureFailure | null
}

interface PendingStall {
  method?: string
  /** Matched against the path and query string (`/v1/payment_intents/pi_1?expand[]=latest_charge`). */
  path: RegExp
  /** Held only when this says so at the time the request arrives (otherwise served, the stall kept for the next). */
  when?: () => boolean | Promise<boolean>
  arrived: () => void
  released: Promise<void>
}

interface PendingFailure {
  method?: string
  path: string | RegExp
  failure: InjectedFailure
  remaining: number
}

/** The result of one of the emulator's state changes: what Stripe would send about it, in order. */
type Events = StripeEvent[]

const PI_CREATE_PARAMS = [
  "amount", "application_fee_amount", "automatic_payment_methods", "capture_method", "confirm", "confirmation_method",
  "customer", "description", "error_on_requires_action", "expand", "mandate", "mandate_data", "metadata",
  "off_session", "on_behalf_of", "payment_method", "payment_method_configuration", "payment_method_data",
  "payment_method_options", "payment_method_types", "radar_options", "receipt_email", "return_url",
  "setup_future_usage", "shipping", "statement_descriptor", "statement_descriptor_suffix", "transfer_data",
  "transfer_group", "use_stripe_sdk", "currency",
] as const
const PI_UPDATE_PARAMS = [
  "amount", "application_fee_amount", "capture_method", "currency", "customer", "description", "expand", "metadata",
  "payment_method", "payment_method_configuration", "payment_method_data", "payment_method_options",
  "payment_method_types", "receipt_email", "setup_future_usage", "shipping", "statement_descriptor",
  "statement_descriptor_suffix", "transfer_data", "transfer_group",
] as const
const PI_CONFIRM_PARAMS = [
  "capture_method", "error_on_requires_action", "expand", "mandate", "mandate_data", "off_session", "payment_method",
  "payment_method_data", "payment_method_options", "radar_options", "receipt_email", "return_url",
  "setup_future_usage", "shipping", "use_stripe_sdk",
] as const
const CUSTOMER_PARAMS = [
  "address", "balance", "description", "email", "expand", "invoice_prefix", "invoice_settings", "metadata", "name",
  "payment_method", "phone", "preferred_locales", "shipping", "tax", "tax_exempt", "tax_id_data", "test_clock",
  "default_source", "source",
] as const
const CANCELABLE: readonly PaymentIntentStatus[] = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
  "processing",
]
const UPDATABLE: readonly PaymentIntentStatus[] = ["requires_payment_method", "requires_confirmation", "requires_action"]
const CONFIRMABLE: readonly PaymentIntentStatus[] = ["requires_payment_method", "requires_confirmation", "requires_action"]

/** Stripe's test payment methods (https://docs.stripe.com/testing#cards) the emulator knows. */
type TestCardBehaviour = "ok" | "decline" | "3ds" | "elevated" | "highest"
const TEST_CARDS: Record<string, { brand: string; last4: string; behaviour: TestCardBehaviour }> = {
  pm_card_visa: { brand: "visa", last4: "4242", behaviour: "ok" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", behaviour: "ok" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", behaviour: "decline" },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", behaviour: "3ds" },
  pm_card_riskLevelElevated: { brand: "visa", last4: "9235", behaviour: "elevated" },
  pm_card_riskLevelHighest: { brand: "visa", last4: "4954", behaviour: "highest" },
}

// ---------------------------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------------------------

export class StripeEmulator {
  /** Every request received, in order. */
  readonly calls: RecordedCall[] = []
  /** Every event the emulator generated (API calls and test controls), in order. */
  readonly events: StripeEvent[] = []
  /** Clock in milliseconds; replace it to age objects. */
  now: () => number

  private readonly options: StripeEmulatorOptions
  private server: http.Server | null = null
  private readonly sockets = new Set<Socket>()
  private listeningPort = 0

  private readonly intents = new Map<string, StripePaymentIntent>()
  private readonly intentInternals = new Map<string, IntentInternals>()
  private readonly charges = new Map<string, StripeCharge>()
  /** Per charge: the part of amount_refunded that is an authorization released (uncaptured), not a refund. */
  private readonly released = new Map<string, number>()
  private readonly refunds = new Map<string, StripeRefund>()
  private readonly customers = new Map<string, StripeCustomer>()
  private readonly deletedCustomers = new Set<string>()
  private readonly paymentMethods = new Map<string, StripePaymentMethod>()
  private readonly setupIntents = new Map<string, StripeSetupIntent>()
  private readonly disputes = new Map<string, StripeDispute>()
  private readonly idempotency = new Map<string, StoredResponse>()
  /** Behaviour of payment methods made from Stripe's test tokens (pm_card_chargeDeclined, ...). */
  private readonly testBehaviour = new Map<string, TestCardBehaviour>()
  private readonly failures: PendingFailure[] = []
  private readonly stalls: PendingStall[] = []
  private readonly routes: Route[]

  constructor(options: StripeEmulatorOptions = {}) {
    this.options = options
    this.now = options.now ?? Date.now
    this.routes = this.buildRoutes()
  }

  // --- lifecycle -------------------------------------------------------------------------------------------------

  /** Starts listening on 127.0.0.1 (port 0 unless the options say otherwise). */
  async start(): Promise<void> {
    if (this.server) return
    const server = http.createServer((req, res) => this.onRequest(req, res))
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve())
    })
    this.server = server
    this.listeningPort = (server.address() as AddressInfo).port
  }

  /** Stops listening and closes open (keep-alive) connections. State is kept; see `reset`. */
  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Forgets every object, event, recorded call, stored idempotent response and pending failure. */
  reset(): void {
    this.calls.length = 0
    this.events.length = 0
    for (const map of [
      this.intents, this.intentInternals, this.charges, this.released, this.refunds, this.customers,
      this.paymentMethods, this.setupIntents, this.disputes, this.idempotency, this.testBehaviour,
    ]) {
      map.clear()
    }
    this.deletedCustomers.clear()
    this.failures.length = 0
    this.stalls.length = 0
  }

  get port(): number {
    if (!this.server) throw new Error("The Stripe emulator is not started")
    return this.listeningPort
  }

  /** e.g. "http://127.0.0.1:40123" (what the provider's `apiBaseUrl` option takes). */
  get apiBaseUrl(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** The `stripe` SDK configuration that sends requests here: `new Stripe(key, emulator.sdkConfig)`. */
  get sdkConfig(): { host: string; port: number; protocol: "http" } {
    return { host: "127.0.0.1", port: this.port, protocol: "http" }
  }

  /** Recorded calls whose path starts with `pathPrefix` (e.g. "/v1/payment_intents"), optionally of one method. */
  callsTo(pathPrefix: string, method?: string): RecordedCall[] {
    return this.calls.filter((c) => c.path.startsWith(pathPrefix) && (!method || c.method === method.toUpperCase()))
  }

  // --- state reads (copies) --------------------------------------------------------------------------------------

  paymentIntent(id: string): StripePaymentIntent {
    return clone(this.mustIntent(id))
  }

  /** All payment intents, oldest first. */
  paymentIntentList(): StripePaymentIntent[] {
    return [...this.intents.values()].map(clone)
  }

  charge(id: string): StripeCharge {
    const charge = this.charges.get(id)
    if (!charge) throw new Error(`Unknown charge ${id}`)
    return clone(charge)
  }

  /** The intent's latest charge, or null when it has none. */
  chargeOf(piId: string): StripeCharge | null {
    const latest = this.mustIntent(piId).latest_charge
    return latest ? this.charge(latest) : null
  }

  /** The refunds made on an intent (through the API or the Dashboard), oldest first. */
  refundsOf(piId: string): StripeRefund[] {
    return [...this.refunds.values()].filter((r) => r.payment_intent === piId).map(clone)
  }

  refund(id: string): StripeRefund {
    const refund = this.refunds.get(id)
    if (!refund) throw new Error(`Unknown refund ${id}`)
    return clone(refund)
  }

  customer(id: string): StripeCustomer | null {
    const customer = this.customers.get(id)
    return customer ? clone(customer) : null
  }

  paymentMethod(id: string): StripePaymentMethod {
    const pm = this.paymentMethods.get(id)
    if (!pm) throw new Error(`Unknown payment method ${id}`)
    return clone(pm)
  }

  dispute(id: string): StripeDispute {
    const dispute = this.disputes.get(id)
    if (!dispute) throw new Error(`Unknown dispute ${id}`)
    return clone(dispute)
  }

  /** Events about an object or about an intent (events whose object is it or points to it with payment_intent). */
  eventsFor(id: string): StripeEvent[] {
    return this.events.filter((e) => {
      const object = e.data.object
      return object.id === id || ("payment_intent" in object && object.payment_intent === id)
    })
  }

  // --- test controls ---------------------------------------------------------------------------------------------

  /**
   * The shopper confirms the intent in the browser (Stripe.js confirmPayment) with a payment method of `method`.
   * Returns the events Stripe sends; the payment_intent event is always first.
   */
  pay(piId: string, options: PayOptions): Events {
    const pi = this.mustIntent(piId)
    if (!CONFIRMABLE.includes(pi.status)) {
      throw new Error(`PaymentIntent ${piId} cannot be confirmed: its status is ${pi.status}`)
    }
    if (!pi.payment_method_types.includes(options.method)) {
      throw new Error(
        `PaymentIntent ${piId} does not accept ${options.method} (payment_method_types: ${pi.payment_method_types.join(", ")})`
      )
    }
    const outcome = options.outcome ?? (options.method === "card" ? "authorized" : "requires_action")
    if (outcome === "succeeded" && pi.capture_method === "manual") {
      throw new Error(`PaymentIntent ${piId} captures manually: an authorized payment is requires_capture, not succeeded`)
    }
    if (outcome === "requires_capture" && pi.capture_method !== "manual") {
      throw new Error(`PaymentIntent ${piId} captures automatically: an authorized payment is succeeded`)
    }
    const pm = this.mustPaymentMethod(this.createPaymentMethod({ type: options.method, fingerprint: options.fingerprint }).id)
    this.attachForFutureUsage(pi, pm)
    return this.applyOutcome(pi, pm, outcome === "succeeded" || outcome === "requires_capture" ? "authorized" : outcome, {
      risk: options.risk,
      declineCode: options.declineCode,
      request: null,
    })
  }

  /** The shopper finished (or failed) the step an intent in requires_action waits for (Alipay, WeChat Pay, 3DS). */
  completeAction(piId: string, options: { outcome: "succeeded" | "failed" | "processing" } = { outcome: "succeeded" }): Events {
    const pi = this.mustIntent(piId)
    if (pi.status !== "requires_action" || !pi.payment_method) {
      throw new Error(`PaymentIntent ${piId} is not waiting for an action: its status is ${pi.status}`)
    }
    const pm = this.mustPaymentMethod(pi.payment_method)
    const outcome = options.outcome === "succeeded" ? "authorized" : options.outcome
    return this.applyOutcome(pi, pm, outcome, { request: null })
  }

  /** A processing payment settles. */
  settle(piId: string, outcome: "succeeded" | "failed"): Events {
    const pi = this.mustIntent(piId)
    if (pi.status !== "processing" || !pi.payment_method) {
      throw new Error(`PaymentIntent ${piId} is not processing: its status is ${pi.status}`)
    }
    const pm = this.mustPaymentMethod(pi.payment_method)
    return this.applyOutcome(pi, pm, outcome === "succeeded" ? "authorized" : "failed", { request: null })
  }

  /** The merchant cancels the intent in the Dashboard. An uncaptured authorization is released (charge.refunded). */
  cancel(piId: string, reason: CancellationReason | null = null): Events {
    const pi = this.mustIntent(piId)
    if (!CANCELABLE.includes(pi.status)) {
      throw new Error(`PaymentIntent ${piId} cannot be canceled: its status is ${pi.status}`)
    }
    return this.cancelIntent(pi, reason, null)
  }

  /**
   * An authorization expires (Stripe cancels an uncaptured intent after about 7 days): the intent is canceled with
   * cancellation_reason "automatic" and the charge expires. Returns payment_intent.canceled and charge.expired.
   */
  expireAuthorization(piId: string): Events {
    const pi = this.mustIntent(piId)
    if (pi.status !== "requires_capture" || !pi.latest_charge) {
      throw new Error(`PaymentIntent ${piId} has no authorization to expire: its status is ${pi.status}`)
    }
    const charge = this.mustCharge(pi.latest_charge)
    this.releaseAuthorization(charge)
    pi.status = "canceled"
    pi.canceled_at = this.seconds()
    pi.cancellation_reason = "automatic"
    pi.amount_capturable = 0
    return [this.emit("payment_intent.canceled", pi, null), this.emit("charge.expired", charge, null)]
  }

  /**
   * The next capture of this intent fails: "card_declined" answers 402 card_error (the intent stays requires_capture),
   * "expired" finds the authorization expired (the intent becomes canceled, see `expireAuthorization`) and answers
   * 400 payment_intent_unexpected_state with the canceled intent.
   */
  failNextCapture(piId: string, failure: CaptureFailure = "card_declined"): void {
    this.mustIntent(piId)
    this.internals(piId).failCapture = failure
  }

  /**
   * The next `times` requests matching (method and) path answer `failure` instead of being served. A path string
   * matches by prefix. Note that the SDK retries a 409 or 5xx answer once by default (maxNetworkRetries 1).
   */
  failNextRequest(match: { method?: string; path: string | RegExp }, failure: InjectedFailure, times = 1): void {
    this.failures.push({ method: match.method?.toUpperCase(), path: match.path, failure, remaining: times })
  }

  /**
   * The next request matching (method and) `path` — tested against the path with its query string — is held: Stripe
   * does not answer it until `release()` is called (then it is served as usual) or the emulator stops. `arrived`
   * resolves when the request comes in. For tests that must act while a caller waits on Stripe (e.g. kill it there).
   * `when`: hold only a request that arrives once it says so (other callers — a job's read-back — pass through).
   */
  stallNextRequest(match: { method?: string; path: RegExp; when?: () => boolean | Promise<boolean> }): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void
    let release!: () => void
    const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve))
    const released = new Promise<void>((resolve) => (release = resolve))
    this.stalls.push({ method: match.method?.toUpperCase(), path: match.path, when: match.when, arrived, released })
    return { arrived: arrivedPromise, release }
  }

  /** The merchant refunds in the Dashboard (all that remains by default). Returns charge.refunded and refund.created. */
  refundFromDashboard(piId: string, amount?: number): Events {
    const pi = this.mustIntent(piId)
    const { events } = this.createRefund(pi, amount, null, {}, null)
    return events
  }

  /** The cardholder disputes the payment. Returns charge.dispute.created (object: the dispute, needs_response). */
  openDispute(piId: string, options: { reason?: string; amount?: number } = {}): Events {
    const pi = this.mustIntent(piId)
    const charge = pi.latest_charge ? this.mustCharge(pi.latest_charge) : null
    if (!charge || !charge.captured) throw new Error(`PaymentIntent ${piId} has no captured charge to dispute`)
    const now = this.seconds()
    const dispute: StripeDispute = {
      id: newId("dp"),
      object: "dispute",
      amount: options.amount ?? charge.amount_captured,
      charge: charge.id,
      created: now,
      currency: charge.currency,
      evidence_details: { due_by: now + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: pi.id,
      reason: options.reason ?? "fraudulent",
      status: "needs_response",
    }
    this.disputes.set(dispute.id, dispute)
    charge.disputed = true
    return [this.emit("charge.dispute.created", dispute, null)]
  }

  /** The dispute is decided. Returns charge.dispute.closed (object: the dispute, status won or lost). */
  closeDispute(disputeId: string, status: "won" | "lost"): Events {
    const dispute = this.disputes.get(disputeId)
    if (!dispute) throw new Error(`Unknown dispute ${disputeId}`)
    if (dispute.status === "won" || dispute.status === "lost") throw new Error(`Dispute ${disputeId} is already ${dispute.status}`)
    dispute.status = status
    dispute.is_charge_refundable = false
    return [this.emit("charge.dispute.closed", dispute, null)]
  }

  /** A payment method as Stripe.js would create it (optionally attached to a customer). */
  createPaymentMethod(options: { type: PaymentMethodType; customer?: string; fingerprint?: string; card?: Partial<CardDetails> }): StripePaymentMethod {
    if (options.customer && !this.customers.has(options.customer)) throw new Error(`Unknown customer ${options.customer}`)
    const pm: StripePaymentMethod = {
      id: newId("pm"),
      object: "payment_method",
      billing_details: { address: null, email: null, name: null, phone: null },
      created: this.seconds(),
      customer: options.customer ?? null,
      livemode: false,
      metadata: {},
      type: options.type,
    }
    if (options.type === "card") {
      pm.card = {
        brand: "visa",
        country: "US",
        exp_month: 12,
        exp_year: new Date(this.now()).getUTCFullYear() + 3,
        fingerprint: options.fingerprint ?? randomString(16),
        funding: "credit",
        last4: "4242",
        ...options.card,
      }
    } else if (options.type === "alipay") {
      pm.alipay = {}
    } else {
      pm.wechat_pay = {}
    }
    this.paymentMethods.set(pm.id, pm)
    return clone(pm)
  }

  // --- webhooks --------------------------------------------------------------------------------------------------

  /** An event as Stripe would post it: the exact body and its `stripe-signature`, made with the SDK's own helper. */
  signedWebhook(event: StripeEvent | JsonObject, secret: string, options: WebhookOptions = {}): SignedWebhook {
    const payload = JSON.stringify(event, null, 2)
    const timestamp = options.timestamp ?? this.seconds()
    const signature = providerStripeSdk().webhooks.generateTestHeaderString({ payload, secret, timestamp })
    let body = payload
    if (options.tamper === true) body = tamperWith(payload)
    else if (typeof options.tamper === "function") body = options.tamper(payload)
    return { body, headers: { "stripe-signature": signature, "content-type": "application/json" } }
  }

  /** Posts a signed event to `url` with the exact signed bytes; answers the status and the (JSON if it is) body. */
  async deliver(
    url: string,
    event: StripeEvent | JsonObject,
    secret: string,
    options: WebhookOptions & { headers?: Record<string, string> } = {}
  ): Promise<{ status: number; body: unknown; text: string }> {
    const signed = this.signedWebhook(event, secret, options)
    const response = await fetch(url, {
      method: "POST",
      headers: { ...signed.headers, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)", ...options.headers },
      body: signed.body,
    })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON: the text is the body
    }
    return { status: response.status, body, text }
  }

  // --- HTTP ------------------------------------------------------------------------------------------------------

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", async () => {
      const stall = await this.takeStall((req.method ?? "GET").toUpperCase(), req.url ?? "/")
      if (stall) {
        stall.arrived()
        await stall.released
        if (res.destroyed || req.destroyed) return
      }
      let answer: HttpAnswer
      try {
        answer = this.handle(req, Buffer.concat(chunks).toString("utf8"))
      } catch (e) {
        // A fault of the emulator itself: answered as Stripe's api_error, not retried by the SDK.
        answer = {
          status: 500,
          body: toJson({ error: { type: "api_error", message: `Stripe emulator fault: ${(e as Error).message}` } }),
          headers: { "stripe-should-retry": "false" },
        }
      }
      const body = JSON.stringify(answer.body, null, 2)
      res.writeHead(answer.status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "stripe-version": this.apiVersion,
        ...answer.headers,
      })
      res.end(body)
    })
  }

  private handle(req: http.IncomingMessage, rawBody: string): HttpAnswer {
    const method = (req.method ?? "GET").toUpperCase()
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const params = parseForm(method === "GET" || method === "DELETE" ? url.search.slice(1) : rawBody)
    const header = req.headers["idempotency-key"]
    const idempotencyKey = typeof header === "string" ? header : null
    const call: RecordedCall = { method, path: url.pathname, params, idempotency_key: idempotencyKey, status: 0, replayed: false }
    this.calls.push(call)
    const requestId = `req_${randomString(14)}`
    const finish = (answer: HttpAnswer): HttpAnswer => {
      call.status = answer.status
      return {
        ...answer,
        headers: { "request-id": requestId, ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}), ...answer.headers },
      }
    }
    const errorAnswer = (e: ApiError): HttpAnswer => ({ status: e.status, body: toJson({ error: e.error }) })

    const auth = this.authenticate(req.headers.authorization)
    if (auth) return finish(errorAnswer(auth))

    const fingerprint = `${method} ${url.pathname} ${JSON.stringify(params)}`
    if (method === "POST" && idempotencyKey) {
      const stored = this.idempotency.get(idempotencyKey)
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          return finish(
            errorAnswer(
              new ApiError(400, {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
              })
            )
          )
        }
        call.replayed = true
        return finish({ status: stored.status, body: clone(stored.body), headers: { "idempotent-replayed": "true" } })
      }
    }

    const injected = this.takeFailure(method, url.pathname)
    if (injected) {
      return finish({
        status: injected.status,
        body: toJson({ error: { type: injected.type, message: injected.message ?? "An injected failure.", ...(injected.code ? { code: injected.code } : {}) } }),
        headers: injected.status === 409 || injected.status >= 500 ? {} : { "stripe-should-retry": "false" },
      })
    }

    let answer: HttpAnswer
    let store = false
    try {
      answer = this.route(method, url.pathname, new Params(params), { requestId, idempotencyKey })
      store = true
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      answer = errorAnswer(e)
      store = e.stored
    }
    if (method === "POST" && idempotencyKey && store) {
      this.idempotency.set(idempotencyKey, { fingerprint, status: answer.status, body: clone(answer.body) })
    }
    return finish(answer)
  }

  private authenticate(header: string | undefined): ApiError | null {
    const unauthorized = (message: string) => new ApiError(401, { type: "invalid_request_error", message })
    const match = header ? /^Bearer\s+(\S+)$/.exec(header) : null
    if (!match) {
      return unauthorized(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
      )
    }
    const key = match[1]
    const accepted = this.options.apiKey ? key === this.options.apiKey : /^(sk|rk)_test_\w+$/.test(key)
    if (!accepted) return unauthorized(`Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`)
    return null
  }

  private async takeStall(method: string, pathAndQuery: string): Promise<PendingStall | null> {
    let decoded = pathAndQuery
    try {
      decoded = decodeURIComponent(pathAndQuery)
    } catch {
      // keep the raw form
    }
    for (const stall of this.stalls.filter((s) => (!s.method || s.method === method) && s.path.test(decoded))) {
      if (stall.when && !(await stall.when())) continue
      // Another request may have taken it while this one asked.
      const index = this.stalls.indexOf(stall)
      if (index >= 0) return this.stalls.splice(index, 1)[0]
    }
    return null
  }

  private takeFailure(method: string, pathname: string): InjectedFailure | null {
    const index = this.failures.findIndex(
      (f) =>
        (!f.method || f.method === method) &&
        (typeof f.path === "string" ? pathname.startsWith(f.path) : f.path.test(pathname))
    )
    if (index < 0) return null
    const pending = this.failures[index]
    pending.remaining -= 1
    if (pending.remaining <= 0) this.failures.splice(index, 1)
    return pending.failure
  }

  private route(method: string, pathname: string, params: Params, ctx: RequestContext): HttpAnswer {
    for (const route of this.routes) {
      if (route.method !== method) continue
      const match = route.pattern.exec(pathname)
      if (match) return route.handler(match, params, ctx)
    }
    throw invalid(
      `Unrecognized request URL (${method}: ${pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      {},
      404
    )
  }

  private buildRoutes(): Route[] {
    const id = "([A-Za-z0-9_]+)"
    const r = (method: Route["method"], pattern: string, handler: Handler): Route => ({
      method,
      pattern: new RegExp(`^${pattern}/?$`),
      handler,
    })
    return [
      r("POST", "/v1/payment_intents", (_m, p, ctx) => this.createIntent(p, ctx)),
      r("GET", "/v1/payment_intents", (_m, p) => this.list(p, "/v1/payment_intents", [...this.intents.values()], (pi) =>
        (!p.string("customer") || pi.customer === p.string("customer")))),
      r("GET", `/v1/payment_intents/${id}`, (m, p) => this.ok(this.mustIntentApi(m[1]), p)),
      r("POST", `/v1/payment_intents/${id}`, (m, p) => this.updateIntent(m[1], p)),
      r("POST", `/v1/payment_intents/${id}/confirm`, (m, p, ctx) => this.confirmIntentApi(m[1], p, ctx)),
      r("POST", `/v1/payment_intents/${id}/capture`, (m, p, ctx) => this.captureIntent(m[1], p, ctx)),
      r("POST", `/v1/payment_intents/${id}/cancel`, (m, p, ctx) => this.cancelIntentApi(m[1], p, ctx)),
      r("POST", "/v1/refunds", (_m, p, ctx) => this.createRefundApi(p, ctx)),
      r("GET", "/v1/refunds", (_m, p) => this.list(p, "/v1/refunds", [...this.refunds.values()], (x) =>
        (!p.string("payment_intent") || x.payment_intent === p.string("payment_intent")) &&
        (!p.string("charge") || x.charge === p.string("charge")))),
      r("GET", `/v1/refunds/${id}`, (m, p) => this.ok(this.mustApi(this.refunds, m[1], "refund", "refund"), p)),
      r("GET", "/v1/charges", (_m, p) => this.list(p, "/v1/charges", [...this.charges.values()], (x) =>
        (!p.string("payment_intent") || x.payment_intent === p.string("payment_intent")) &&
        (!p.string("customer") || x.customer === p.string("customer")))),
      r("GET", `/v1/charges/${id}`, (m, p) => this.ok(this.mustApi(this.charges, m[1], "charge", "charge"), p)),
      r("POST", "/v1/customers", (_m, p, ctx) => this.createCustomer(p, ctx)),
      r("GET", `/v1/customers/${id}`, (m, p) => this.retrieveCustomer(m[1], p)),
      r("POST", `/v1/customers/${id}`, (m, p, ctx) => this.updateCustomer(m[1], p, ctx)),
      r("DELETE", `/v1/customers/${id}`, (m, _p, ctx) => this.deleteCustomer(m[1], ctx)),
      r("GET", `/v1/customers/${id}/payment_methods`, (m, p) => {
        this.mustApi(this.customers, m[1], "customer", "customer")
        return this.list(p, `/v1/customers/${m[1]}/payment_methods`, [...this.paymentMethods.values()], (pm) =>
          pm.customer === m[1] && (!p.string("type") || pm.type === p.string("type")))
      }),
      r("GET", "/v1/payment_methods", (_m, p) => this.list(p, "/v1/payment_methods", [...this.paymentMethods.values()], (pm) =>
        (!p.string("customer") || pm.customer === p.string("customer")) && (!p.string("type") || pm.type === p.string("type")))),
      r("GET", `/v1/payment_methods/${id}`, (m, p) => this.ok(this.mustApi(this.paymentMethods, m[1], "PaymentMethod", "payment_method"), p)),
      r("POST", `/v1/payment_methods/${id}/attach`, (m, p, ctx) => this.attachPaymentMethod(m[1], p, ctx)),
      r("POST", `/v1/payment_methods/${id}/detach`, (m, p, ctx) => this.detachPaymentMethod(m[1], p, ctx)),
      r("POST", "/v1/setup_intents", (_m, p, ctx) => this.createSetupIntent(p, ctx)),
      r("GET", `/v1/setup_intents/${id}`, (m, p) => this.ok(this.mustApi(this.setupIntents, m[1], "setupintent", "intent"), p)),
      r("GET", `/v1/disputes/${id}`, (m, p) => this.ok(this.mustApi(this.disputes, m[1], "dispute", "dispute"), p)),
      r("GET", "/v1/events", (_m, p) => this.list(p, "/v1/events", this.events, (e) => !p.string("type") || e.type === p.string("type"))),
      r("GET", `/v1/events/${id}`, (m) => {
        const event = this.events.find((e) => e.id === m[1])
        if (!event) throw missingResource("event", m[1], "id")
        return { status: 200, body: toJson(event) }
      }),
    ]
  }

  // --- API: payment intents --------------------------------------------------------------------------------------

  private createIntent(p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(PI_CREATE_PARAMS)
    const amount = p.integer("amount")
    if (amount === undefined) throw invalid("Missing required param: amount.", { code: "parameter_missing", param: "amount" })
    if (amount < 1) throw invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param: "amount" })
    const currency = p.requiredString("currency").toLowerCase()
    const captureMethod = p.oneOf<CaptureMethod>("capture_method", ["automatic", "automatic_async", "manual"]) ?? "automatic"
    const explicitTypes = p.strings("payment_method_types")
    const automatic = p.object("automatic_payment_methods")
    if (explicitTypes?.length && automatic?.enabled === "true") {
      throw invalid("You may only specify one of these parameters: automatic_payment_methods, payment_method_types.", {
        param: "automatic_payment_methods",
      })
    }
    const customer = p.string("customer") || null
    if (customer && !this.customers.has(customer)) throw missingResource("customer", customer, "customer")
    let types: string[]
    let automaticPaymentMethods: StripePaymentIntent["automatic_payment_methods"] = null
    if (explicitTypes?.length) {
      types = explicitTypes
      if (captureMethod === "manual") {
        const unsupported = types.filter((t) => !MANUAL_CAPTURE_TYPES.has(t))
        if (unsupported.length) {
          throw invalid(
            `The following payment method types do not support capture_method manual: ${unsupported.join(", ")}.`,
            { code: "parameter_invalid_string", param: "capture_method" }
          )
        }
      }
    } else {
      const allowRedirects = typeof automatic?.allow_redirects === "string" ? automatic.allow_redirects : "always"
      automaticPaymentMethods = { enabled: true, allow_redirects: allowRedirects }
      types = (this.options.automaticPaymentMethodTypes ?? ["card", "alipay", "wechat_pay"]).filter(
        (t) => (captureMethod !== "manual" || MANUAL_CAPTURE_TYPES.has(t)) && (allowRedirects !== "never" || t === "card")
      )
    }
    const setupFutureUsage = p.oneOf<"on_session" | "off_session">("setup_future_usage", ["on_session", "off_session"]) ?? null
    const id = newId("pi")
    const pi: StripePaymentIntent = {
      id,
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: 0,
      automatic_payment_methods: automaticPaymentMethods,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: `${id}_secret_${randomString(25)}`,
      confirmation_method: p.oneOf<"automatic" | "manual">("confirmation_method", ["automatic", "manual"]) ?? "automatic",
      created: this.seconds(),
      currency,
      customer,
      description: p.string("description") ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: p.metadata({}),
      next_action: null,
      payment_method: null,
      payment_method_options: p.object("payment_method_options") ?? {},
      payment_method_types: types,
      receipt_email: p.string("receipt_email") ?? null,
      setup_future_usage: setupFutureUsage,
      statement_descriptor: p.string("statement_descriptor") ?? null,
      status: "requires_payment_method",
    }
    // Validate the payment method before anything is stored, as Stripe validates before creating.
    const pm = this.paymentMethodFromParams(p, pi)
    const confirm = p.boolean("confirm") ?? false
    if (confirm && !pm) {
      throw invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
        { code: "parameter_missing", param: "payment_method" }
      )
    }
    this.intents.set(id, pi)
    this.intentInternals.set(id, { returnUrl: p.string("return_url") ?? null, failCapture: null })
    this.emit("payment_intent.created", pi, ctx)
    if (pm) {
      pi.payment_method = pm.id
      pi.status = "requires_confirmation"
    }
    if (confirm && pm) this.confirmWith(pi, pm, ctx)
    return this.ok(pi, p)
  }

  private updateIntent(piId: string, p: Params): HttpAnswer {
    p.allowOnly(PI_UPDATE_PARAMS)
    const pi = this.mustIntentApi(piId)
    const onlyMetadata = Object.keys(p.raw).every((k) => ["metadata", "description", "expand", "receipt_email", "shipping"].includes(k))
    if (!onlyMetadata && !UPDATABLE.includes(pi.status)) {
      throw invalid(
        `You cannot update this PaymentIntent because it has a status of ${pi.status}. Updates are only allowed when the PaymentIntent has a status of one of: ${UPDATABLE.join(", ")}.`,
        { code: "payment_intent_unexpected_state", payment_intent: clone(pi) }
      )
    }
    const amount = p.integer("amount")
    if (amount !== undefined) {
      if (amount < 1) throw invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param: "amount" })
      pi.amount = amount
    }
    const currency = p.string("currency")
    if (currency) pi.currency = currency.toLowerCase()
    const customer = p.string("customer")
    if (customer) {
      if (!this.customers.has(customer)) throw missingResource("customer", customer, "customer")
      pi.customer = customer
    }
    const captureMethod = p.oneOf<CaptureMethod>("capture_method", ["automatic", "automatic_async", "manual"])
    if (captureMethod) pi.capture_method = captureMethod
    const types = p.strings("payment_method_types")
    if (types?.length) {
      pi.payment_method_types = types
      pi.automatic_payment_methods = null
    }
    if (p.has("description")) pi.description = p.string("description") || null
    if (p.has("receipt_email")) pi.receipt_email = p.string("receipt_email") || null
    if (p.has("statement_descriptor")) pi.statement_descriptor = p.string("statement_descriptor") || null
    if (p.has("setup_future_usage")) {
      pi.setup_future_usage = p.oneOf<"on_session" | "off_session">("setup_future_usage", ["on_session", "off_session"]) ?? null
    }
    const options = p.object("payment_method_options")
    if (options) pi.payment_method_options = { ...pi.payment_method_options, ...options }
    pi.metadata = p.metadata(pi.metadata)
    const pm = this.paymentMethodFromParams(p, pi)
    if (pm) {
      pi.payment_method = pm.id
      pi.status = "requires_confirmation"
    }
    return this.ok(pi, p)
  }

  private confirmIntentApi(piId: string, p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(PI_CONFIRM_PARAMS)
    const pi = this.mustIntentApi(piId)
    if (!CONFIRMABLE.includes(pi.status)) {
      throw invalid(
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(", ")}.`,
        { code: "payment_intent_unexpected_state", payment_intent: clone(pi) }
      )
    }
    const returnUrl = p.string("return_url")
    if (returnUrl) this.internals(piId).returnUrl = returnUrl
    const options = p.object("payment_method_options")
    if (options) pi.payment_method_options = { ...pi.payment_method_options, ...options }
    const pm = this.paymentMethodFromParams(p, pi) ?? (pi.payment_method ? this.mustPaymentMethod(pi.payment_method) : null)
    if (!pm) {
      throw invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
        { code: "payment_intent_unexpected_state", payment_intent: clone(pi) }
      )
    }
    this.confirmWith(pi, pm, ctx)
    return this.ok(pi, p)
  }

  private captureIntent(piId: string, p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(["amount_to_capture", "application_fee_amount", "expand", "final_capture", "metadata", "statement_descriptor", "statement_descriptor_suffix", "transfer_data"])
    const pi = this.mustIntentApi(piId)
    const internals = this.internals(piId)
    if (pi.status === "requires_capture" && internals.failCapture) {
      const failure = internals.failCapture
      internals.failCapture = null
      const charge = this.mustCharge(pi.latest_charge as string)
      if (failure === "card_declined") {
        throw new ApiError(
          402,
          {
            type: "card_error",
            code: "card_declined",
            decline_code: "generic_decline",
            message: "Your card was declined.",
            charge: charge.id,
            doc_url: "https://stripe.com/docs/error-codes/card-declined",
            payment_intent: clone(pi),
            payment_method: pi.payment_method ? clone(this.mustPaymentMethod(pi.payment_method)) : undefined,
          },
          true
        )
      }
      this.expireAuthorization(piId)
    }
    if (pi.status !== "requires_capture") {
      throw new ApiError(
        400,
        {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
          doc_url: "https://stripe.com/docs/error-codes/payment-intent-unexpected-state",
          payment_intent: clone(pi),
        },
        true
      )
    }
    const amountToCapture = p.integer("amount_to_capture") ?? pi.amount_capturable
    if (amountToCapture < 1 || amountToCapture > pi.amount_capturable) {
      throw invalid(
        `The amount_to_capture must be at least 1 and at most the amount_capturable (${pi.amount_capturable}).`,
        { code: "parameter_invalid_integer", param: "amount_to_capture" }
      )
    }
    const charge = this.mustCharge(pi.latest_charge as string)
    charge.captured = true
    charge.amount_captured = amountToCapture
    charge.balance_transaction = newId("txn")
    const uncaptured = charge.amount - amountToCapture
    if (uncaptured > 0) {
      this.released.set(charge.id, uncaptured)
      charge.amount_refunded += uncaptured
    }
    pi.metadata = p.metadata(pi.metadata)
    pi.status = "succeeded"
    pi.amount_received = amountToCapture
    pi.amount_capturable = 0
    this.emit("payment_intent.succeeded", pi, ctx)
    this.emit("charge.captured", charge, ctx)
    return this.ok(pi, p)
  }

  private cancelIntentApi(piId: string, p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(["cancellation_reason", "expand"])
    const pi = this.mustIntentApi(piId)
    const reason = p.oneOf<CancellationReason>("cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]) ?? null
    if (!CANCELABLE.includes(pi.status)) {
      throw new ApiError(
        400,
        {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
          doc_url: "https://stripe.com/docs/error-codes/payment-intent-unexpected-state",
          payment_intent: clone(pi),
        },
        true
      )
    }
    this.cancelIntent(pi, reason, ctx)
    return this.ok(pi, p)
  }

  // --- API: refunds ----------------------------------------------------------------------------------------------

  private createRefundApi(p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(["amount", "charge", "currency", "customer", "expand", "instructions_email", "metadata", "origin", "payment_intent", "reason", "refund_application_fee", "reverse_transfer"])
    const piId = p.string("payment_intent")
    const chargeId = p.string("charge")
    let pi: StripePaymentIntent
    if (piId) {
      pi = this.mustApi(this.intents, piId, "payment_intent", "payment_intent")
    } else if (chargeId) {
      pi = this.mustIntent(this.mustApi(this.charges, chargeId, "charge", "charge").payment_intent)
    } else {
      throw invalid("One of the following params should be provided for this request: payment_intent or charge.", { code: "parameter_missing" })
    }
    const amount = p.integer("amount")
    if (amount !== undefined && amount < 1) throw invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param: "amount" })
    const reason = p.oneOf<"duplicate" | "fraudulent" | "requested_by_customer">("reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null
    const { refund } = this.createRefund(pi, amount, reason, p.metadata({}), ctx)
    return this.ok(refund, p)
  }

  /** Refunds (part of) the intent's captured charge; throws Stripe's errors for an over-refund. */
  private createRefund(
    pi: StripePaymentIntent,
    amount: number | undefined,
    reason: StripeRefund["reason"],
    metadata: Metadata,
    ctx: RequestContext | null
  ): { refund: StripeRefund; events: Events } {
    const charge = pi.latest_charge ? this.mustCharge(pi.latest_charge) : null
    if (!charge || charge.status !== "succeeded" || !charge.captured) {
      const error = new ApiError(
        400,
        {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: `This PaymentIntent (${pi.id}) does not have a successful charge to refund: its status is ${pi.status}.`,
          payment_intent: clone(pi),
        },
        true
      )
      if (!ctx) throw new Error(error.message)
      throw error
    }
    const refundable = charge.amount_captured - (charge.amount_refunded - (this.released.get(charge.id) ?? 0))
    const requested = amount ?? refundable
    if (refundable <= 0) {
      const error = new ApiError(
        400,
        {
          type: "invalid_request_error",
          code: "charge_already_refunded",
          message: `Charge ${charge.id} has already been refunded.`,
          charge: charge.id,
          doc_url: "https://stripe.com/docs/error-codes/charge-already-refunded",
        },
        true
      )
      if (!ctx) throw new Error(error.message)
      throw error
    }
    if (requested > refundable) {
      const error = new ApiError(
        400,
        {
          type: "invalid_request_error",
          code: "amount_too_large",
          message: `Refund amount (${formatAmount(requested, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(refundable, charge.currency)})`,
          param: "amount",
          charge: charge.id,
          doc_url: "https://stripe.com/docs/error-codes/amount-too-large",
        },
        true
      )
      if (!ctx) throw new Error(error.message)
      throw error
    }
    const refund: StripeRefund = {
      id: newId("re"),
      object: "refund",
      amount: requested,
      balance_transaction: newId("txn"),
      charge: charge.id,
      created: this.seconds(),
      currency: charge.currency,
      metadata,
      payment_intent: pi.id,
      reason,
      status: "succeeded",
    }
    this.refunds.set(refund.id, refund)
    charge.amount_refunded += requested
    charge.refunded = charge.amount_refunded >= charge.amount
    const events = [this.emit("charge.refunded", charge, ctx), this.emit("refund.created", refund, ctx)]
    return { refund, events }
  }

  // --- API: customers, payment methods, setup intents ------------------------------------------------------------

  private createCustomer(p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(CUSTOMER_PARAMS)
    const customer: StripeCustomer = {
      id: newId("cus"),
      object: "customer",
      address: null,
      created: this.seconds(),
      description: p.string("description") ?? null,
      email: p.string("email") ?? null,
      livemode: false,
      metadata: p.metadata({}),
      name: p.string("name") ?? null,
      phone: p.string("phone") ?? null,
    }
    this.writeAddress(customer, p)
    this.customers.set(customer.id, customer)
    this.emit("customer.created", customer, ctx)
    return this.ok(customer, p)
  }

  private retrieveCustomer(id: string, p: Params): HttpAnswer {
    if (this.deletedCustomers.has(id)) return { status: 200, body: toJson({ id, object: "customer", deleted: true }) }
    return this.ok(this.mustApi(this.customers, id, "customer", "id"), p)
  }

  private updateCustomer(id: string, p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(CUSTOMER_PARAMS)
    const customer = this.mustApi(this.customers, id, "customer", "customer")
    for (const field of ["description", "email", "name", "phone"] as const) {
      if (p.has(field)) customer[field] = p.string(field) || null
    }
    customer.metadata = p.metadata(customer.metadata)
    this.writeAddress(customer, p)
    this.emit("customer.updated", customer, ctx)
    return this.ok(customer, p)
  }

  private deleteCustomer(id: string, ctx: RequestContext): HttpAnswer {
    const customer = this.mustApi(this.customers, id, "customer", "id")
    this.customers.delete(id)
    this.deletedCustomers.add(id)
    for (const pm of this.paymentMethods.values()) if (pm.customer === id) pm.customer = null
    this.emit("customer.deleted", customer, ctx)
    return { status: 200, body: toJson({ id, object: "customer", deleted: true }) }
  }

  private writeAddress(customer: StripeCustomer, p: Params): void {
    const address = p.object("address")
    if (!address) {
      if (p.raw.address === "") customer.address = null
      return
    }
    const field = (name: keyof StripeAddress) => (typeof address[name] === "string" && address[name] !== "" ? (address[name] as string) : null)
    customer.address = {
      city: field("city"),
      country: field("country"),
      line1: field("line1"),
      line2: field("line2"),
      postal_code: field("postal_code"),
      state: field("state"),
    }
  }

  private attachPaymentMethod(id: string, p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(["customer", "expand"])
    const pm = this.mustApi(this.paymentMethods, id, "PaymentMethod", "payment_method")
    const customer = p.requiredString("customer")
    this.mustApi(this.customers, customer, "customer", "customer")
    if (pm.customer && pm.customer !== customer) {
      throw invalid("The payment method you provided has already been attached to a customer.", { code: "payment_method_unexpected_state" })
    }
    pm.customer = customer
    this.emit("payment_method.attached", pm, ctx)
    return this.ok(pm, p)
  }

  private detachPaymentMethod(id: string, p: Params, ctx: RequestContext): HttpAnswer {
    p.allowOnly(["expand"])
    const pm = this.mustApi(this.paymentMethods, id, "PaymentMethod", "payment_method")
    if (!pm.customer) {
      throw invalid("The payment method you provided is not attached to a customer so detachment is impossible.", {
        code: "payment_method_unexpected_state",
      })
    }
    pm.customer = null
    this.emit("payment_method.detached", pm, ctx)
    return this.ok(pm, p)
  }

  private createSetupIntent(p: Params, ctx: RequestContext): HttpAnswer {
    const customer = p.string("customer") || null
    if (customer) this.mustApi(this.customers, customer, "customer", "customer")
    const paymentMethod = p.string("payment_method") || null
    if (paymentMethod) this.mustApi(this.paymentMethods, paymentMethod, "PaymentMethod", "payment_method")
    const id = newId("seti")
    const setupIntent: StripeSetupIntent = {
      id,
      object: "setup_intent",
      client_secret: `${id}_secret_${randomString(25)}`,
      created: this.seconds(),
      customer,
      description: p.string("description") ?? null,
      livemode: false,
      metadata: p.metadata({}),
      payment_method: paymentMethod,
      payment_method_types: p.strings("payment_method_types") ?? ["card"],
      status: paymentMethod ? "requires_confirmation" : "requires_payment_method",
      usage: p.oneOf<"on_session" | "off_session">("usage", ["on_session", "off_session"]) ?? "off_session",
    }
    this.setupIntents.set(id, setupIntent)
    this.emit("setup_intent.created", setupIntent, ctx)
    return this.ok(setupIntent, p)
  }

  // --- state transitions -----------------------------------------------------------------------------------------

  /** The payment method a create/update/confirm request names (an id, a Stripe test token, or payment_method_data). */
  private paymentMethodFromParams(p: Params, pi: StripePaymentIntent): StripePaymentMethod | null {
    const ref = p.string("payment_method")
    const data = p.object("payment_method_data")
    let pm: StripePaymentMethod | null = null
    if (ref) {
      const test = TEST_CARDS[ref]
      if (test) {
        pm = this.mustPaymentMethod(this.createPaymentMethod({ type: "card", card: { brand: test.brand, last4: test.last4 } }).id)
        this.testBehaviour.set(pm.id, test.behaviour)
      } else {
        pm = this.mustApi(this.paymentMethods, ref, "PaymentMethod", "payment_method")
      }
    } else if (data) {
      const type = data.type
      if (type !== "card" && type !== "alipay" && type !== "wechat_pay") {
        throw invalid(`Invalid payment_method_data[type]: ${String(type)}`, { code: "parameter_invalid_string", param: "payment_method_data[type]" })
      }
      pm = this.mustPaymentMethod(this.createPaymentMethod({ type }).id)
    }
    if (pm && !pi.payment_method_types.includes(pm.type)) {
      throw invalid(
        `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.payment_method_types.join(", ")}.`,
        { code: "payment_intent_incompatible_payment_method", param: "payment_method" }
      )
    }
    return pm
  }

  /** Server-side confirmation (create with confirm=true, or POST .../confirm). A card decline answers 402. */
  private confirmWith(pi: StripePaymentIntent, pm: StripePaymentMethod, ctx: RequestContext): void {
    this.attachForFutureUsage(pi, pm)
    const behaviour = this.testBehaviour.get(pm.id) ?? "ok"
    if (pm.type !== "card") {
      this.applyOutcome(pi, pm, "requires_action", { request: ctx })
      return
    }
    if (behaviour === "3ds") {
      this.applyOutcome(pi, pm, "requires_action", { request: ctx })
      return
    }
    if (behaviour === "decline" || behaviour === "highest") {
      const risk = behaviour === "highest" ? { risk_level: "highest" as const, risk_score: 95 } : undefined
      this.applyOutcome(pi, pm, "failed", { request: ctx, risk })
      const error = pi.last_payment_error as StripeApiError
      throw new ApiError(402, { ...clone(error), payment_intent: clone(pi) }, true)
    }
    const risk = behaviour === "elevated" ? { risk_level: "elevated" as const, risk_score: 70 } : undefined
    this.applyOutcome(pi, pm, "authorized", { request: ctx, risk })
  }

  private applyOutcome(
    pi: StripePaymentIntent,
    pm: StripePaymentMethod,
    outcome: "authorized" | "requires_action" | "processing" | "failed",
    options: { risk?: PayOptions["risk"]; declineCode?: string; request: RequestContext | null }
  ): Events {
    const request = options.request
    pi.payment_method = pm.id
    pi.last_payment_error = null
    if (outcome === "requires_action") {
      pi.status = "requires_action"
      pi.next_action = this.nextActionFor(pi, pm)
      return [this.emit("payment_intent.requires_action", pi, request)]
    }
    pi.next_action = null
    if (outcome === "processing") {
      pi.status = "processing"
      return [this.emit("payment_intent.processing", pi, request)]
    }
    if (outcome === "failed") {
      const blocked = options.risk?.risk_level === "highest"
      const declineCode = options.declineCode ?? (blocked ? "fraudulent" : "generic_decline")
      let charge: StripeCharge | null = null
      if (pm.type === "card") {
        charge = this.newCharge(pi, pm, {
          status: "failed",
          outcome: {
            network_status: blocked ? "not_sent_to_network" : "declined_by_network",
            reason: blocked ? "highest_risk_level" : declineCode,
            risk_level: options.risk?.risk_level ?? "normal",
            risk_score: options.risk?.risk_score ?? (blocked ? 95 : 20),
            seller_message: blocked ? "Stripe blocked this payment as too risky." : "The bank did not return any further details with this decline.",
            type: blocked ? "blocked" : "issuer_declined",
          },
          failure_code: "card_declined",
          failure_message: "Your card was declined.",
        })
      }
      pi.status = "requires_payment_method"
      pi.payment_method = null
      pi.last_payment_error =
        pm.type === "card"
          ? {
              type: "card_error",
              code: "card_declined",
              decline_code: declineCode,
              message: "Your card was declined.",
              charge: charge?.id,
              doc_url: "https://stripe.com/docs/error-codes/card-declined",
              payment_method: clone(pm),
            }
          : {
              type: "invalid_request_error",
              code: "payment_intent_payment_attempt_failed",
              message: "The latest payment attempt of this PaymentIntent has failed or been canceled, and the attached payment method has been removed. You can try confirming again with a new payment method.",
              doc_url: "https://stripe.com/docs/error-codes/payment-intent-payment-attempt-failed",
              payment_method: clone(pm),
            }
      const events: Events = [this.emit("payment_intent.payment_failed", pi, request)]
      if (charge) events.push(this.emit("charge.failed", charge, request))
      return events
    }
    // authorized
    const manual = pi.capture_method === "manual"
    const assessed = pm.type === "card"
    const charge = this.newCharge(pi, pm, {
      status: "succeeded",
      captured: !manual,
      outcome: {
        network_status: "approved_by_network",
        reason: options.risk?.risk_level === "elevated" ? "elevated_risk_level" : null,
        risk_level: options.risk?.risk_level ?? (assessed ? "normal" : "not_assessed"),
        ...(options.risk?.risk_score !== undefined
          ? { risk_score: options.risk.risk_score }
          : assessed
            ? { risk_score: 20 }
            : {}),
        seller_message: "Payment complete.",
        type: "authorized",
      },
    })
    if (manual) {
      pi.status = "requires_capture"
      pi.amount_capturable = pi.amount
      return [this.emit("payment_intent.amount_capturable_updated", pi, request), this.emit("charge.succeeded", charge, request)]
    }
    pi.status = "succeeded"
    pi.amount_received = pi.amount
    return [this.emit("payment_intent.succeeded", pi, request), this.emit("charge.succeeded", charge, request)]
  }

  private newCharge(
    pi: StripePaymentIntent,
    pm: StripePaymentMethod,
    fields: { status: StripeCharge["status"]; outcome: ChargeOutcome; captured?: boolean; failure_code?: string; failure_message?: string }
  ): StripeCharge {
    const captured = fields.captured ?? false
    const transaction = randomString(28)
    const details: PaymentMethodDetails = { type: pm.type }
    if (pm.card) details.card = { ...pm.card, network: pm.card.brand, three_d_secure: null }
    if (pm.type === "alipay") details.alipay = { buyer_id: `2088${randomString(12)}`, fingerprint: randomString(16), transaction_id: transaction }
    if (pm.type === "wechat_pay") details.wechat_pay = { fingerprint: randomString(16), transaction_id: transaction }
    const charge: StripeCharge = {
      id: newId("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: captured ? pi.amount : 0,
      amount_refunded: 0,
      balance_transaction: captured ? newId("txn") : null,
      captured,
      created: this.seconds(),
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      disputed: false,
      failure_code: fields.failure_code ?? null,
      failure_message: fields.failure_message ?? null,
      livemode: false,
      metadata: { ...pi.metadata },
      outcome: fields.outcome,
      paid: fields.status === "succeeded",
      payment_intent: pi.id,
      payment_method: pm.id,
      payment_method_details: details,
      refunded: false,
      status: fields.status,
    }
    this.charges.set(charge.id, charge)
    pi.latest_charge = charge.id
    return charge
  }

  private nextActionFor(pi: StripePaymentIntent, pm: StripePaymentMethod): NextAction {
    const returnUrl = this.internals(pi.id).returnUrl
    if (pm.type === "alipay") {
      return {
        type: "alipay_handle_redirect",
        alipay_handle_redirect: {
          native_data: null,
          native_url: null,
          return_url: returnUrl,
          url: `${this.server ? this.apiBaseUrl : "http://127.0.0.1"}/emulator/alipay/${pi.id}`,
        },
      }
    }
    if (pm.type === "wechat_pay") {
      const base = this.server ? this.apiBaseUrl : "http://127.0.0.1"
      return {
        type: "wechat_pay_display_qr_code",
        wechat_pay_display_qr_code: {
          data: `weixin://wxpay/bizpayurl?pr=${randomString(7)}`,
          hosted_instructions_url: `${base}/emulator/wechat_pay/${pi.id}`,
          image_data_url: "data:image/png;base64,iVBORw0KGgo=",
          image_url_png: `${base}/emulator/wechat_pay/${pi.id}.png`,
          image_url_svg: `${base}/emulator/wechat_pay/${pi.id}.svg`,
        },
      }
    }
    return { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", source: newId("src") } }
  }

  private cancelIntent(pi: StripePaymentIntent, reason: CancellationReason | null, request: RequestContext | null): Events {
    const wasAuthorized = pi.status === "requires_capture"
    pi.status = "canceled"
    pi.canceled_at = this.seconds()
    pi.cancellation_reason = reason
    pi.next_action = null
    pi.amount_capturable = 0
    const events: Events = [this.emit("payment_intent.canceled", pi, request)]
    if (wasAuthorized && pi.latest_charge) {
      // "For PaymentIntents with a status of requires_capture, the remaining amount_capturable is automatically refunded."
      const charge = this.mustCharge(pi.latest_charge)
      this.releaseAuthorization(charge)
      events.push(this.emit("charge.refunded", charge, request))
    }
    return events
  }

  private releaseAuthorization(charge: StripeCharge): void {
    const uncaptured = charge.amount - charge.amount_captured
    this.released.set(charge.id, (this.released.get(charge.id) ?? 0) + uncaptured)
    charge.amount_refunded += uncaptured
    charge.refunded = charge.amount_refunded >= charge.amount
  }

  private attachForFutureUsage(pi: StripePaymentIntent, pm: StripePaymentMethod): void {
    if (pi.customer && pi.setup_future_usage && !pm.customer) {
      const stored = this.mustPaymentMethod(pm.id)
      stored.customer = pi.customer
      this.emit("payment_method.attached", stored, null)
    }
  }

  // --- plumbing --------------------------------------------------------------------------------------------------

  private get apiVersion(): string {
    return this.options.apiVersion ?? DEFAULT_API_VERSION
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000)
  }

  private emit<T extends StripeObject>(type: string, object: T, request: RequestContext | null): StripeEvent<T> {
    const event: StripeEvent<T> = {
      id: newId("evt"),
      object: "event",
      api_version: this.apiVersion,
      created: this.seconds(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: request?.requestId ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
    }
    this.events.push(event)
    return event
  }

  private internals(piId: string): IntentInternals {
    let internals = this.intentInternals.get(piId)
    if (!internals) {
      internals = { returnUrl: null, failCapture: null }
      this.intentInternals.set(piId, internals)
    }
    return internals
  }

  private mustIntent(id: string): StripePaymentIntent {
    const pi = this.intents.get(id)
    if (!pi) throw new Error(`Unknown PaymentIntent ${id}`)
    return pi
  }

  private mustIntentApi(id: string): StripePaymentIntent {
    return this.mustApi(this.intents, id, "payment_intent", "intent")
  }

  private mustCharge(id: string): StripeCharge {
    const charge = this.charges.get(id)
    if (!charge) throw new Error(`Unknown charge ${id}`)
    return charge
  }

  private mustPaymentMethod(id: string): StripePaymentMethod {
    const pm = this.paymentMethods.get(id)
    if (!pm) throw new Error(`Unknown payment method ${id}`)
    return pm
  }

  private mustApi<T>(map: Map<string, T>, id: string, kind: string, param: string): T {
    const found = map.get(id)
    if (!found) throw missingResource(kind, id, param)
    return found
  }

  /** 200 with the object, its `expand[]` paths expanded. */
  private ok(object: StripeObject, p: Params): HttpAnswer {
    return { status: 200, body: this.expand(toJson(object), p.expand()) }
  }

  private list<T extends { id: string; created: number }>(
    p: Params,
    url: string,
    items: Iterable<T>,
    filter: (item: T) => boolean
  ): HttpAnswer {
    const limit = Math.min(Math.max(p.integer("limit") ?? 10, 1), 100)
    let all = [...items].filter(filter).reverse()
    const startingAfter = p.string("starting_after")
    if (startingAfter) {
      const index = all.findIndex((x) => x.id === startingAfter)
      all = index < 0 ? [] : all.slice(index + 1)
    }
    const page = all.slice(0, limit)
    const body = this.expand(toJson({ object: "list", data: page, has_more: all.length > limit, url }), p.expand())
    return { status: 200, body }
  }

  /** Replaces ids by their objects along each `expand` path (`latest_charge`, `data.payment_method`, `a.b`). */
  private expand(body: Json, paths: string[]): Json {
    for (const expandPath of paths) {
      const segments = expandPath.split(".")
      const walk = (node: Json, i: number): void => {
        if (Array.isArray(node)) {
          node.forEach((item) => walk(item, i))
          return
        }
        if (!isObject(node)) return
        const key = segments[i]
        if (!(key in node)) throw invalid(`This property cannot be expanded (${expandPath}).`, { param: "expand" })
        if (i < segments.length - 1) {
          walk(node[key], i + 1)
          return
        }
        const value = node[key]
        if (value === null || isObject(value)) return
        const target = typeof value === "string" ? this.lookup(value) : null
        if (!target) throw invalid(`This property cannot be expanded (${expandPath}).`, { param: "expand" })
        node[key] = toJson(target)
      }
      walk(body, 0)
    }
    return body
  }

  private lookup(id: string): StripeObject | null {
    const prefix = id.slice(0, id.indexOf("_"))
    switch (prefix) {
      case "pi":
        return this.intents.get(id) ?? null
      case "ch":
        return this.charges.get(id) ?? null
      case "re":
        return this.refunds.get(id) ?? null
      case "cus":
        return this.customers.get(id) ?? (this.deletedCustomers.has(id) ? { id, object: "customer", deleted: true } : null)
      case "pm":
        return this.paymentMethods.get(id) ?? null
      case "seti":
        return this.setupIntents.get(id) ?? null
      case "dp":
        return this.disputes.get(id) ?? null
      default:
        return null
    }
  }
}

/** The default tampering: the object's amount changes (or a field is added), so the signed bytes no longer match. */
function tamperWith(payload: string): string {
  const parsed = JSON.parse(payload) as JsonObject
  const data = parsed.data
  if (isObject(data) && isObject(data.object)) {
    const object = data.object
    if (typeof object.amount === "number") object.amount = object.amount + 100
    else object.tampered = true
  } else {
    parsed.tampered = true
  }
  return JSON.stringify(parsed, null, 2)
}
