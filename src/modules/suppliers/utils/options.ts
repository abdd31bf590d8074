import { parseKeyList } from "../../../utils/keyring"

export type SuppliersModuleOptions = {
  /** `{ "1": "<base64 key>" }` or the `1:<key>,2:<key>` string (default VIRTUAL_GOODS_ENCRYPTION_KEYS): the
   * suppliers module derives keys of its own from them (HKDF), so credentials and recipients never share a key with codes. */
  keys?: Record<string, string> | string
  /** Version used for new ciphertexts (default VIRTUAL_GOODS_PRIMARY_KEY_VERSION, else the highest). */
  primary_key_version?: number | string
  /** Connect to suppliers on loopback and private addresses, over plain http too (default VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS, `true` only in development). */
  allow_private_addresses?: boolean | string
  /** Public base URL of this store, for the callback URL given to suppliers (default VIRTUAL_GOODS_PUBLIC_URL, else http://localhost:9000). */
  public_url?: string
  /** How long a supplier order may stay submitted without a final answer before it goes to the admins' queue, seconds (default VIRTUAL_GOODS_TOPUP_UNKNOWN_AFTER_SECONDS, 1800). */
  unknown_after_seconds?: number | string
  /** How long a claimed submission is leased before a recovery may take it over, seconds (default 120). */
  submit_lease_seconds?: number | string
}

export type ResolvedSuppliersOptions = {
  keys: Record<string, string>
  primary_key_version: number | null
  allow_private_addresses: boolean
  public_url: string
  unknown_after_seconds: number
  submit_lease_seconds: number
}

/** The environment variable each option falls back to. */
export const SUPPLIERS_ENV = {
  keys: "VIRTUAL_GOODS_ENCRYPTION_KEYS",
  primary_key_version: "VIRTUAL_GOODS_PRIMARY_KEY_VERSION",
  allow_private_addresses: "VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS",
  public_url: "VIRTUAL_GOODS_PUBLIC_URL",
  unknown_after_seconds: "VIRTUAL_GOODS_TOPUP_UNKNOWN_AFTER_SECONDS",
  submit_lease_seconds: "VIRTUAL_GOODS_TOPUP_SUBMIT_LEASE_SECONDS",
} as const

function positiveInt(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === null || value === "") return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`suppliers option ${name} must be a positive integer, got "${String(value)}"`)
  return n
}

/** Options with their environment fallbacks and defaults; a malformed value stops the app, naming the option. */
export function resolveSuppliersOptions(options: SuppliersModuleOptions, env: NodeJS.ProcessEnv = process.env): ResolvedSuppliersOptions {
  const pick = <K extends keyof typeof SUPPLIERS_ENV>(k: K) => options[k] ?? env[SUPPLIERS_ENV[k]]
  const keysRaw = pick("keys")
  const keys = typeof keysRaw === "object" && keysRaw !== null ? keysRaw : parseKeyList(keysRaw)
  const primary = pick("primary_key_version")
  const allow = pick("allow_private_addresses")
  return {
    keys,
    primary_key_version: primary === undefined || primary === "" ? null : positiveInt(primary, 1, "primary_key_version"),
    allow_private_addresses: allow === undefined || allow === "" ? env.NODE_ENV === "development" : String(allow) === "true",
    public_url: String(pick("public_url") || "http://localhost:9000").replace(/\/+$/, ""),
    unknown_after_seconds: positiveInt(pick("unknown_after_seconds"), 1800, "unknown_after_seconds"),
    submit_lease_seconds: positiveInt(pick("submit_lease_seconds"), 120, "submit_lease_seconds"),
  }
}
