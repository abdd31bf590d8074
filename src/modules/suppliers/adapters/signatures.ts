import { createHash, createHmac, timingSafeEqual } from "crypto"

/**
 * The signature schemes of Chinese top-up suppliers (and of our own callbacks): the request's parameters sorted by
 * name and joined as `k1=v1&k2=v2`, then hashed with the shared secret — MD5 or SHA1 over the text with `&key=<secret>`
 * appended, or HMAC-SHA256 keyed by the secret. The secret never appears in an error message.
 */

/** A parameter value as it is signed: numbers and booleans as their text, null and undefined as empty. */
export type SignableValue = string | number | boolean | null | undefined
export type SignableParams = Record<string, SignableValue>

export type SortedParamsOptions = {
  /** Parameters left out of the signed text (the sign itself, often `sign_type`). Matched exactly. */
  exclude?: string[]
  /** Leave out parameters whose value is empty (the usual rule). Default true. */
  skipEmpty?: boolean
}

export type SortedSignOptions = SortedParamsOptions & {
  /** The name under which the secret is appended (`&key=<secret>`); null appends the bare secret (`k1=v1&k2=v2<secret>`). Default "key". */
  keyParam?: string | null
  /** Hex digits in upper case. Default true. */
  uppercase?: boolean
}

const valueText = (value: SignableValue): string => (value === null || value === undefined ? "" : String(value))

/** HMAC-SHA256 of a text, hex (lower case). */
export function hmacSha256Hex(key: string | Buffer, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("hex")
}

/** `k1=v1&k2=v2`, sorted by name in code-unit (ASCII) order, values as given (not URL-encoded). */
export function sortedParamsString(params: SignableParams, options: SortedParamsOptions = {}): string {
  const exclude = new Set(options.exclude ?? [])
  const skipEmpty = options.skipEmpty ?? true
  return Object.keys(params)
    .filter((name) => !exclude.has(name))
    .map((name) => [name, valueText(params[name])] as const)
    .filter(([, value]) => !skipEmpty || value !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&")
}

function withKey(sorted: string, key: string, keyParam: string | null): string {
  if (keyParam === null) return `${sorted}${key}`
  return sorted ? `${sorted}&${keyParam}=${key}` : `${keyParam}=${key}`
}

const hexCase = (hex: string, uppercase: boolean | undefined) => (uppercase ?? true ? hex.toUpperCase() : hex.toLowerCase())

/** MD5(sorted + "&key=" + secret), hex. */
export function md5SortedSign(params: SignableParams, key: string, options: SortedSignOptions = {}): string {
  const text = withKey(sortedParamsString(params, options), key, options.keyParam === undefined ? "key" : options.keyParam)
  return hexCase(createHash("md5").update(text, "utf8").digest("hex"), options.uppercase)
}

/** SHA1(sorted + "&key=" + secret), hex. */
export function sha1SortedSign(params: SignableParams, key: string, options: SortedSignOptions = {}): string {
  const text = withKey(sortedParamsString(params, options), key, options.keyParam === undefined ? "key" : options.keyParam)
  return hexCase(createHash("sha1").update(text, "utf8").digest("hex"), options.uppercase)
}

/** HMAC-SHA256(secret, sorted), hex; `keyParam` does not apply (the secret is the HMAC key). */
export function hmacSortedSign(params: SignableParams, key: string, options: Omit<SortedSignOptions, "keyParam"> = {}): string {
  return hexCase(hmacSha256Hex(key, sortedParamsString(params, options)), options.uppercase)
}

/**
 * Whether two hex signatures are equal, in constant time for equal lengths and case-insensitively. Anything that is not
 * hex, or of another length, is unequal (lengths are not secret).
 */
export function safeEqualHex(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false
  const x = a.trim().toLowerCase()
  const y = b.trim().toLowerCase()
  if (!x.length || x.length !== y.length || x.length % 2 !== 0) return false
  if (!/^[0-9a-f]+$/.test(x) || !/^[0-9a-f]+$/.test(y)) return false
  return timingSafeEqual(Buffer.from(x, "hex"), Buffer.from(y, "hex"))
}
