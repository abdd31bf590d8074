import { MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import { decimalText } from "./http"

/**
 * The generic HTTP top-up adapter's settings (`SupplierConnection.config`): endpoints, field mapping, signature,
 * answer paths, code and status mapping, callbacks and the products it sells — validated with zod, a bad field named
 * by its path. The adapter itself is in ./generic-http.ts.
 */
// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

const ParamName = z.string().min(1).max(100)
const JsonPath = z.string().min(1).max(200)
const Endpoint = z
  .object({
    path: z.string().min(1).max(500),
    method: z.enum(["GET", "POST"]).default("POST"),
  })
  .strict()
const CodeList = z.array(z.union([z.string().min(1).max(100), z.number()]).transform((v) => String(v))).default([])
const DecimalAmount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = decimalText(value)
  if (text === null) {
    ctx.addIssue({ code: "custom", message: "must be a decimal amount such as 9.9" })
    return z.NEVER
  }
  return text
})

export const GenericHttpConfigSchema = z
  .object({
    /** How parameters travel in a POST: `form` (application/x-www-form-urlencoded) or `json`. GET sends them in the query. */
    encoding: z.enum(["form", "json"]).default("form"),
    endpoints: z
      .object({
        submit: Endpoint,
        query: Endpoint,
        balance: Endpoint.optional(),
        cancel: Endpoint.optional(),
        list_orders: Endpoint.optional(),
      })
      .strict(),
    /** Our fields → the supplier's parameter names. */
    fields: z
      .object({
        order_no: ParamName,
        product_id: ParamName,
        /** Absent when the supplier takes one unit per order. */
        quantity: ParamName.optional(),
        /** Our recipient keys (account, server…) → the supplier's parameter; a bare name is a required field. */
        recipient: z
          .record(z.string().min(1).max(100), z.union([ParamName, z.object({ param: ParamName, required: z.boolean().default(true) }).strict()]))
          .default({}),
        timestamp: ParamName.optional(),
        timestamp_format: z.enum(["unix", "unix_ms", "iso"]).default("unix"),
        callback_url: ParamName.optional(),
        /** The most we pay per unit, when the supplier can refuse a higher price. */
        max_unit_cost: ParamName.optional(),
        /** The date from which orders are listed (same format as the timestamp). */
        since: ParamName.optional(),
        /** Parameters sent with every request: a value from the credentials (`{ credential: "app_id" }`) or a fixed one. */
        static: z
          .record(ParamName, z.union([z.object({ credential: z.string().min(1).max(100) }).strict(), z.object({ value: z.string().max(500) }).strict()]))
          .default({}),
      })
      .strict(),
    signature: z
      .object({
        scheme: z.enum(["hmac_sha256", "md5_sorted", "sha1_sorted"]),
        /** The parameter carrying the sign (left out of the signed text). */
        param: ParamName.default("sign"),
        /** `md5_sorted` / `sha1_sorted`: the secret is appended as `&<key_param>=<secret>`, or bare (no `&`) when null. */
        key_param: z.string().min(1).max(100).nullable().default("key"),
        uppercase: z.boolean().default(true),
        /** Other parameters left out of the signed text (e.g. `sign_type`). */
        exclude: z.array(ParamName).default([]),
      })
      .strict(),
    /** Where things are in an answer, as dot paths (`data.status`, `data.items.0.id`). */
    answer: z
      .object({
        code: JsonPath,
        message: JsonPath.optional(),
        status: JsonPath.optional(),
        order_no: JsonPath.optional(),
        upstream_order_no: JsonPath.optional(),
        /** The order's total cost. */
        cost: JsonPath.optional(),
        balance: JsonPath.optional(),
        balance_currency: JsonPath.optional(),
        /** The list endpoint's orders: where the array is, and each item's fields (paths inside an item). */
        list: z.object({ path: JsonPath, order_no: JsonPath, status: JsonPath, cost: JsonPath.optional() }).strict().optional(),
      })
      .strict(),
    /** Result codes. `ok`: the request was handled; the order's state is its status. */
    codes: z
      .object({
        ok: CodeList,
        accepted: CodeList,
        pending: CodeList,
        succeeded: CodeList,
        failed: CodeList,
        duplicate: CodeList,
        not_found: CodeList,
        /** Our request refused as misconfigured (bad signature, unknown app id, IP not allowed): unknown, never a failure. */
        configuration: CodeList,
      })
      .strict(),
    /** Order statuses (in answers, lists and callbacks); `pending` means the same as `accepted`. */
    statuses: z
      .object({
        accepted: CodeList,
        pending: CodeList,
        succeeded: CodeList,
        failed: CodeList,
      })
      .strict(),
    /** The supplier's callbacks: where their fields are, and what we answer. */
    callback: z
      .object({
        order_no: JsonPath,
        status: JsonPath,
        upstream_order_no: JsonPath.optional(),
        cost: JsonPath.optional(),
        message: JsonPath.optional(),
        answer_ok: z.string().max(200).default("success"),
        answer_fail: z.string().max(200).default("fail"),
      })
      .strict()
      .optional(),
    /** The currency of the supplier's prices and balance. */
    currency_code: z.string().min(1).max(10).nullable().default(null),
    /** The products this supplier sells us (the generic protocol has no catalog). */
    products: z
      .array(
        z
          .object({
            id: z.string().min(1).max(200),
            name: z.string().min(1).max(500),
            unit_cost: DecimalAmount,
            currency_code: z.string().min(1).max(10).nullable().optional(),
          })
          .strict()
      )
      .default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, string>()
    for (const list of Object.keys(config.codes) as (keyof typeof config.codes)[]) {
      for (const code of config.codes[list]) {
        const other = seen.get(code)
        if (other) ctx.addIssue({ code: "custom", path: ["codes", list], message: `code "${code}" is also in codes.${other}` })
        else seen.set(code, list)
      }
    }
    const statuses = new Map<string, string>()
    for (const list of Object.keys(config.statuses) as (keyof typeof config.statuses)[]) {
      for (const status of config.statuses[list]) {
        const other = statuses.get(status)
        if (other) ctx.addIssue({ code: "custom", path: ["statuses", list], message: `status "${status}" is also in statuses.${other}` })
        else statuses.set(status, list)
      }
    }
    const c = config.codes
    if (!c.ok.length && !c.accepted.length && !c.pending.length && !c.succeeded.length) {
      ctx.addIssue({ code: "custom", path: ["codes", "ok"], message: "no code says a request was handled (codes.ok, accepted, pending or succeeded)" })
    }
    if (c.ok.length && !config.answer.status) {
      ctx.addIssue({ code: "custom", path: ["answer", "status"], message: "required with codes.ok: the order's status is read there" })
    }
    if (config.endpoints.balance && !config.answer.balance) {
      ctx.addIssue({ code: "custom", path: ["answer", "balance"], message: "required with endpoints.balance" })
    }
    if (config.endpoints.list_orders && !config.answer.list) {
      ctx.addIssue({ code: "custom", path: ["answer", "list"], message: "required with endpoints.list_orders" })
    }
    if (config.endpoints.list_orders && !config.fields.since) {
      ctx.addIssue({ code: "custom", path: ["fields", "since"], message: "required with endpoints.list_orders" })
    }
    const names = new Map<string, string>()
    const claim = (name: string | undefined, path: (string | number)[]) => {
      if (!name) return
      const other = names.get(name)
      if (other) ctx.addIssue({ code: "custom", path, message: `parameter "${name}" is also used by ${other}` })
      else names.set(name, path.join("."))
    }
    claim(config.signature.param, ["signature", "param"])
    for (const field of ["order_no", "product_id", "quantity", "timestamp", "callback_url", "max_unit_cost", "since"] as const) {
      claim(config.fields[field], ["fields", field])
    }
    for (const [key, param] of Object.entries(config.fields.recipient)) {
      claim(typeof param === "string" ? param : param.param, ["fields", "recipient", key])
    }
    for (const name of Object.keys(config.fields.static)) claim(name, ["fields", "static", name])
  })

export type GenericHttpConfig = z.infer<typeof GenericHttpConfigSchema>
/** The settings as written (defaults may be left out). */
export type GenericHttpConfigInput = z.input<typeof GenericHttpConfigSchema>

const parsedConfigs = new WeakMap<object, GenericHttpConfig>()

/**
 * Checks a supplier's generic HTTP settings; throws `MedusaError` INVALID_DATA naming each bad field by its path
 * (`fields.order_no: …`). Parsed settings are remembered per object.
 */
export function parseGenericHttpConfig(config: unknown): GenericHttpConfig {
  if (typeof config === "object" && config !== null) {
    const cached = parsedConfigs.get(config)
    if (cached) return cached
  }
  const result = GenericHttpConfigSchema.safeParse(config)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(config)"}: ${issue.message}`)
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid generic_http supplier config: ${problems.join("; ")}`)
  }
  if (typeof config === "object" && config !== null) parsedConfigs.set(config, result.data)
  return result.data
}

/**
 * Settings matching the test supplier of `integration-tests/helpers/topup-supplier.ts`: form-encoded POSTs signed with
 * uppercase MD5 over the sorted parameters plus `&key=<secret>`, answers `{ code, msg, data: { order_no,
 * supplier_order_no, status, cost } }`. Credentials: `{ app_id, secret }`.
 */
export const GENERIC_HTTP_EXAMPLE_CONFIG = {
  encoding: "form",
  endpoints: {
    submit: { path: "/api/recharge", method: "POST" },
    query: { path: "/api/query", method: "POST" },
    balance: { path: "/api/balance", method: "POST" },
    cancel: { path: "/api/cancel", method: "POST" },
    list_orders: { path: "/api/orders", method: "POST" },
  },
  fields: {
    order_no: "order_no",
    product_id: "product_id",
    quantity: "num",
    recipient: { account: "charge_account", server: { param: "charge_server", required: false } },
    timestamp: "timestamp",
    timestamp_format: "unix",
    callback_url: "notify_url",
    max_unit_cost: "max_price",
    since: "since",
    static: { app_id: { credential: "app_id" } },
  },
  signature: { scheme: "md5_sorted", param: "sign", key_param: "key", uppercase: true, exclude: [] },
  answer: {
    code: "code",
    message: "msg",
    status: "data.status",
    order_no: "data.order_no",
    upstream_order_no: "data.supplier_order_no",
    cost: "data.cost",
    balance: "data.balance",
    balance_currency: "data.currency",
    list: { path: "data.orders", order_no: "order_no", status: "status", cost: "cost" },
  },
  codes: {
    ok: ["0"],
    accepted: [],
    pending: [],
    succeeded: [],
    // insufficient balance, invalid recipient, product unavailable, price above max_price
    failed: ["1001", "1003", "1006", "1009"],
    duplicate: ["1002"],
    not_found: ["1004"],
    // bad signature, missing parameters / unknown app id
    configuration: ["1005", "1007"],
  },
  statuses: {
    accepted: [],
    pending: ["processing"],
    succeeded: ["success"],
    failed: ["failed", "canceled"],
  },
  callback: {
    order_no: "order_no",
    status: "status",
    upstream_order_no: "supplier_order_no",
    cost: "cost",
    message: "msg",
    answer_ok: "success",
    answer_fail: "fail",
  },
  currency_code: "CNY",
  products: [
    { id: "mobile-10", name: "Mobile top-up 10 CNY", unit_cost: "9.9", currency_code: "CNY" },
    { id: "mobile-50", name: "Mobile top-up 50 CNY", unit_cost: "49.5", currency_code: "CNY" },
    { id: "game-60", name: "Game top-up 60 gems", unit_cost: "5.88", currency_code: "CNY" },
  ],
} as const satisfies GenericHttpConfigInput

