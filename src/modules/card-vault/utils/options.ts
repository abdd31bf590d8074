import { MedusaError } from "@medusajs/framework/utils"
import { KeyringOptions, parseKeyList } from "./crypto"

/** Options of the card vault module (and so of the plugin). Every field can come from the environment. */
export type CardVaultModuleOptions = {
  /** `{ "1": "<base64 key>" }`, or the `1:<key>,2:<key>` string of VIRTUAL_GOODS_ENCRYPTION_KEYS */
  keys?: Record<string, string> | string
  primary_key_version?: number | string
  blind_index_key?: string
  /**
   * Key the guest links' tokens are derived with (32 bytes, base64 or hex). Default: derived from the blind index key.
   * The notification provider that renders the links needs the same key (see utils/reveal-link).
   */
  link_key?: string
  /** Link sent to shoppers; `{token}` is replaced. Default `http://localhost:8000/virtual-goods/reveal/{token}` */
  reveal_url?: string
  /** Capture payment of virtual-only orders when they are placed. Default true. */
  auto_capture?: boolean | string
  /** Reservations of carts that never became orders are released after this. Default 900. */
  reservation_ttl_seconds?: number | string
  guest_link_ttl_hours?: number | string
  guest_link_max_uses?: number | string
  /** Id of the digital fulfillment provider as registered in the host (`<identifier>_<id>`). Default `digital_digital`. */
  fulfillment_provider_id?: string
  /** Notification channel of stock alerts. Default `feed` (the Medusa admin's notification bell). */
  alert_channel?: string
  /** Recipient of stock alerts on that channel. Default "" (every admin, for the feed); an address for email. */
  alert_to?: string
  /** Buyers are reminded this many days before their unused codes expire (once). Default 3; 0 turns reminders off. */
  expiry_reminder_days?: number | string
  /**
   * Reusable pools: how many unsold copies each shared code keeps ready (made again as they sell, every minute and
   * after each addition). Default 20.
   */
  reusable_buffer?: number | string
  /**
   * Ed25519 private key (PEM, or its 32-byte seed in base64) that signs the audit chains' checkpoints. Keep it outside
   * the database. Without it no checkpoint is signed (the chains are still kept and verified).
   */
  audit_signing_key?: string
  /** Directory each signed checkpoint is also written to (a file per checkpoint). */
  audit_checkpoint_dir?: string
  /** URL each signed checkpoint is also POSTed to (JSON). */
  audit_checkpoint_url?: string
}

export type ResolvedCardVaultOptions = {
  keyring: KeyringOptions
  link_key: string
  reveal_url: string
  auto_capture: boolean
  reservation_ttl_seconds: number
  guest_link_ttl_hours: number
  guest_link_max_uses: number
  fulfillment_provider_id: string
  alert_channel: string
  alert_to: string
  expiry_reminder_days: number
  reusable_buffer: number
  audit_signing_key: string
  audit_checkpoint_dir: string
  audit_checkpoint_url: string
}

function toBool(value: unknown, fallback: boolean, name: string): boolean {
  if (value === undefined || value === null || value === "") return fallback
  if (typeof value === "boolean") return value
  const v = String(value).toLowerCase()
  if (["1", "true", "yes", "on"].includes(v)) return true
  if (["0", "false", "no", "off"].includes(v)) return false
  throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `Option ${name} must be true or false, got "${value}"`)
}

function toPositiveInt(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === null || value === "") return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) {
    throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `Option ${name} must be a positive integer, got "${value}"`)
  }
  return n
}

function toNonNegativeInt(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === null || value === "") return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `Option ${name} must be a whole number of days (0 turns it off), got "${value}"`)
  }
  return n
}

/** Environment variables each option falls back to when the host passes no value. */
export const CARD_VAULT_ENV: Record<keyof CardVaultModuleOptions, string> = {
  keys: "VIRTUAL_GOODS_ENCRYPTION_KEYS",
  primary_key_version: "VIRTUAL_GOODS_PRIMARY_KEY_VERSION",
  blind_index_key: "VIRTUAL_GOODS_BLIND_INDEX_KEY",
  link_key: "VIRTUAL_GOODS_LINK_KEY",
  reveal_url: "VIRTUAL_GOODS_REVEAL_URL",
  auto_capture: "VIRTUAL_GOODS_AUTO_CAPTURE",
  reservation_ttl_seconds: "VIRTUAL_GOODS_RESERVATION_TTL_SECONDS",
  guest_link_ttl_hours: "VIRTUAL_GOODS_GUEST_LINK_TTL_HOURS",
  guest_link_max_uses: "VIRTUAL_GOODS_GUEST_LINK_MAX_USES",
  fulfillment_provider_id: "VIRTUAL_GOODS_FULFILLMENT_PROVIDER_ID",
  alert_channel: "VIRTUAL_GOODS_ALERT_CHANNEL",
  alert_to: "VIRTUAL_GOODS_ALERT_TO",
  expiry_reminder_days: "VIRTUAL_GOODS_EXPIRY_REMINDER_DAYS",
  reusable_buffer: "VIRTUAL_GOODS_REUSABLE_BUFFER",
  audit_signing_key: "VIRTUAL_GOODS_AUDIT_SIGNING_KEY",
  audit_checkpoint_dir: "VIRTUAL_GOODS_AUDIT_CHECKPOINT_DIR",
  audit_checkpoint_url: "VIRTUAL_GOODS_AUDIT_CHECKPOINT_URL",
}

export function resolveCardVaultOptions(
  given: CardVaultModuleOptions = {},
  env: Record<string, string | undefined> = process.env
): ResolvedCardVaultOptions {
  const options: CardVaultModuleOptions = { ...given }
  for (const [option, variable] of Object.entries(CARD_VAULT_ENV) as [keyof CardVaultModuleOptions, string][]) {
    const value = options[option]
    const fromEnv = env[variable]
    // Every option also takes its value as text (the form the environment gives).
    if ((value === undefined || value === null || value === "") && fromEnv !== undefined) options[option] = fromEnv
  }
  const keys = typeof options.keys === "string" || options.keys === undefined ? parseKeyList(options.keys) : options.keys
  const revealUrl = options.reveal_url || "http://localhost:8000/virtual-goods/reveal/{token}"
  if (!revealUrl.includes("{token}")) {
    throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `Option reveal_url must contain "{token}"`)
  }
  return {
    keyring: {
      keys,
      primary_key_version: options.primary_key_version,
      blind_index_key: options.blind_index_key ?? "",
    },
    link_key: options.link_key ?? "",
    reveal_url: revealUrl,
    auto_capture: toBool(options.auto_capture, true, "auto_capture"),
    reservation_ttl_seconds: toPositiveInt(options.reservation_ttl_seconds, 900, "reservation_ttl_seconds"),
    guest_link_ttl_hours: toPositiveInt(options.guest_link_ttl_hours, 72, "guest_link_ttl_hours"),
    guest_link_max_uses: toPositiveInt(options.guest_link_max_uses, 5, "guest_link_max_uses"),
    fulfillment_provider_id: options.fulfillment_provider_id || "digital_digital",
    alert_channel: options.alert_channel || "feed",
    alert_to: options.alert_to ?? "",
    expiry_reminder_days: toNonNegativeInt(options.expiry_reminder_days, 3, "expiry_reminder_days"),
    reusable_buffer: toPositiveInt(options.reusable_buffer, 20, "reusable_buffer"),
    audit_signing_key: options.audit_signing_key ?? "",
    audit_checkpoint_dir: options.audit_checkpoint_dir ?? "",
    audit_checkpoint_url: options.audit_checkpoint_url ?? "",
  }
}
