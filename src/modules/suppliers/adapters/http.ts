import { outboundRequest, type OutboundResponse } from "../../../utils/outbound-http"
import type { SupplierConnection, UpstreamOrderAnswer } from "./types"

/** What every adapter shares: one way to reach a supplier, the "unknown" answer, the audit copy of an answer, decimals. */

/** At most this much of a supplier's answer is read; a longer answer is unreadable (its state is unknown). */
export const MAX_SUPPLIER_ANSWER_BYTES = 256 * 1024

/** At most this much JSON of an answer is kept for the audit trail. */
export const MAX_AUDIT_ANSWER_CHARS = 2048

export type SupplierRequest = {
  method?: string
  /** Joined to the connection's base URL (`https://api.example.com/v1` + `/order` → `https://api.example.com/v1/order`). */
  path?: string
  /** An absolute URL, instead of `path`. */
  url?: string
  /** Appended to the URL's query string. */
  query?: Record<string, string>
  headers?: Record<string, string>
  body?: string | Buffer
}

/** The URL of a request to a supplier. */
export function supplierUrl(conn: Pick<SupplierConnection, "base_url">, request: Pick<SupplierRequest, "path" | "url" | "query">): URL {
  let url: URL
  if (request.url) {
    url = new URL(request.url)
  } else {
    const base = conn.base_url.replace(/\/+$/, "")
    const path = request.path ? (request.path.startsWith("/") ? request.path : `/${request.path}`) : ""
    url = new URL(`${base}${path}`)
  }
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.append(name, value)
  return url
}

/**
 * Sends one request to a supplier through the guarded outbound client, with the connection's deadline and address
 * policy, reading at most 256 KiB of the answer. Plain http is refused unless the connection allows private addresses
 * (development and tests). Transport failures reject (timeout, refused address, reset…): see `unknownAnswer`.
 */
export async function sendToSupplier(conn: SupplierConnection, request: SupplierRequest): Promise<OutboundResponse> {
  const url = supplierUrl(conn, request)
  if (url.protocol !== "https:" && !(url.protocol === "http:" && conn.allow_private_addresses)) {
    throw new Error(`suppliers are reached over https only, not ${url.protocol}`)
  }
  return outboundRequest(url.toString(), {
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    timeoutMs: conn.timeout_ms,
    maxResponseBytes: MAX_SUPPLIER_ANSWER_BYTES,
    allowPrivateAddresses: conn.allow_private_addresses,
  })
}

const TRANSPORT_CODES: Record<string, string> = {
  ETIMEDOUT: "no answer in time",
  ESOCKETTIMEDOUT: "no answer in time",
  ECONNRESET: "connection reset",
  ECONNREFUSED: "connection refused",
  ECONNABORTED: "connection aborted",
  EPIPE: "connection closed while sending",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  EADDRNOTPUBLIC: "address refused (not public)",
  UND_ERR_SOCKET: "connection closed",
}

function errorCode(error: unknown): string | null {
  if (typeof error !== "object" || error === null || !("code" in error)) return null
  return typeof error.code === "string" ? error.code : null
}

/** A short description of a transport failure (never the request, its body or its headers). */
export function describeTransportError(error: unknown): string {
  const code = errorCode(error)
  if (code && TRANSPORT_CODES[code]) return `${TRANSPORT_CODES[code]} (${code})`
  if (code) return `request failed (${code})`
  if (error instanceof Error && error.message === "socket hang up") return "connection closed before an answer (socket hang up)"
  if (error instanceof Error && /^suppliers are reached over https only/.test(error.message)) return error.message
  return "request failed"
}

function isResponse(value: unknown): value is OutboundResponse {
  return (
    typeof value === "object" &&
    value !== null &&
    "status" in value &&
    typeof value.status === "number" &&
    "body" in value &&
    Buffer.isBuffer(value.body)
  )
}

/**
 * The answer of an exchange whose outcome we do not know — a timeout, a connection error, a 5xx, a 429, a body we
 * cannot read, an answer code no mapping knows: the order is queried later, never refunded on this. `cause` is the
 * thrown error or the response; `reason` defaults to a description of it. The response's body is kept for the audit
 * trail as sanitized JSON or, when it is not JSON, its beginning (values in `redact` removed either way).
 */
export function unknownAnswer(cause: unknown, reason?: string | null, options: { redact?: string[] } = {}): UpstreamOrderAnswer {
  if (isResponse(cause)) {
    const text = cause.body.toString("utf8")
    let answer: unknown = null
    if (text.length) {
      try {
        answer = sanitizeAnswer(JSON.parse(text), options)
      } catch {
        answer = sanitizeAnswer({ body: text.slice(0, 300) }, options)
      }
    }
    const defaultReason =
      cause.status >= 500
        ? `supplier error (HTTP ${cause.status})`
        : cause.status === 429
          ? "supplier rate limit (HTTP 429)"
          : cause.truncated
            ? `answer longer than ${MAX_SUPPLIER_ANSWER_BYTES} bytes`
            : `unreadable answer (HTTP ${cause.status})`
    return { state: "unknown", reason: redactText(reason ?? defaultReason, options.redact), http_status: cause.status, answer }
  }
  return { state: "unknown", reason: redactText(reason ?? describeTransportError(cause), options.redact), http_status: null }
}

// ---------------------------------------------------------------------------------------------------------------
// The audit copy of an answer
// ---------------------------------------------------------------------------------------------------------------

/** Words of a key that make its value secret or personal: codes, passwords, keys, signatures, recipients. */
const SECRET_WORDS = new Set([
  "code", "codes", "card", "cards", "cardno", "cardnum", "cardnumber", "cardpwd", "cardpass", "cdk", "cdks", "cdkey",
  "cdkeys", "kami", "kamis", "km", "password", "passwords", "passwd", "pwd", "pass", "pin", "secret", "secrets", "key",
  "keys", "apikey", "appkey", "appsecret", "secretkey", "privatekey", "token", "tokens", "accesstoken", "sign", "signature",
  "signatures", "recipient", "recipients", "account", "accounts", "accountno", "phone", "phones", "mobile", "mobiles",
  "tel", "telephone", "email", "qq", "credential", "credentials", "authorization", "cookie", "otp", "voucher", "vouchers",
  "license", "serial", "serials",
])

/** Splits a key into lower-case words: `charge_account` → charge, account; `cardNo` → card, no. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

/** Whether a key looks like it holds a secret, a code or a recipient's data. */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key)
  if (words.some((w) => SECRET_WORDS.has(w))) return true
  return SECRET_WORDS.has(words.join(""))
}

const REMOVED = "[removed]"
const MAX_DEPTH = 8
const MAX_STRING = 500

/** Replaces every occurrence of the given values (of 3 characters or more) in a text. */
export function redactText(text: string, redact: string[] = []): string {
  let out = text
  for (const value of redact) {
    if (typeof value === "string" && value.length >= 3) out = out.split(value).join(REMOVED)
  }
  return out
}

export type SanitizeOptions = {
  /** Dot paths kept even though their key looks secret (an answer's result `code`, configured as such). */
  keep?: string[]
  /** Values (a recipient's, the credentials, the sign) removed wherever they appear in a string. */
  redact?: string[]
}

/**
 * A copy of a supplier's answer fit for the audit trail: the value of any key that looks like a code, a secret or a
 * recipient's data (code, cards, cdk, kami, password, secret, key, token, sign, account, phone, mobile… in any case and
 * at any depth) replaced by "[removed]", the `redact` values removed from every string, and the whole cut to ~2 KB of
 * JSON (`{ truncated: true, json: "<its beginning>" }` when longer).
 */
export function sanitizeAnswer(value: unknown, options: SanitizeOptions = {}): unknown {
  const keep = new Set(options.keep ?? [])
  const redact = (options.redact ?? []).filter((v) => typeof v === "string" && v.length >= 3)
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (v === null || typeof v === "number" || typeof v === "boolean") return v
    if (typeof v === "string") {
      const s = redactText(v, redact)
      return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s
    }
    if (depth >= MAX_DEPTH) return "[too deep]"
    if (Array.isArray(v)) return v.map((item, i) => walk(item, path ? `${path}.${i}` : String(i), depth + 1))
    if (typeof v === "object") {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(v)) {
        const itemPath = path ? `${path}.${key}` : key
        const kept = keep.has(itemPath) && (item === null || typeof item !== "object")
        out[key] = isSecretKey(key) && !kept ? REMOVED : walk(item, itemPath, depth + 1)
      }
      return out
    }
    return undefined
  }
  const clean = walk(value, "", 0)
  const json = JSON.stringify(clean) ?? "null"
  if (json.length <= MAX_AUDIT_ANSWER_CHARS) return clean
  // the beginning of the JSON, as long as the wrapper (its quotes escaped again) stays within the limit
  let head = json.slice(0, MAX_AUDIT_ANSWER_CHARS - 40)
  for (let over = JSON.stringify({ truncated: true, json: head }).length - MAX_AUDIT_ANSWER_CHARS; over > 0; ) {
    head = head.slice(0, head.length - over)
    over = JSON.stringify({ truncated: true, json: head }).length - MAX_AUDIT_ANSWER_CHARS
  }
  return { truncated: true, json: head }
}

// ---------------------------------------------------------------------------------------------------------------
// Decimals
// ---------------------------------------------------------------------------------------------------------------

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/

/**
 * Canonical decimal text of an amount read from JSON, without float arithmetic: a string is taken as written, a number
 * by its shortest text (`0.1` → "0.1"); leading zeros and trailing fraction zeros go (`"9.90"` → "9.9", `"010"` → "10",
 * `"-0.00"` → "0"). NaN, Infinity, exponents (`1e21`), empty text and anything else give null.
 */
export function decimalText(value: unknown): string | null {
  let text: string
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null
    text = String(value)
  } else if (typeof value === "string") {
    text = value.trim()
  } else {
    return null
  }
  const match = DECIMAL.exec(text)
  if (!match) return null
  const [, sign, intRaw, fracRaw = ""] = match
  const int = intRaw.replace(/^0+(?=\d)/, "")
  const frac = fracRaw.replace(/0+$/, "")
  const body = frac ? `${int}.${frac}` : int
  const zero = int === "0" && !frac
  return sign === "-" && !zero ? `-${body}` : body
}
