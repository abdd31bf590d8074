import { model } from "@medusajs/framework/utils"

/**
 * An upstream supplier: another store running this plugin, a dujiao-next shop, or a top-up API spoken through the
 * generic adapter. Its credentials are sealed (AES-256-GCM, keys derived from the keyring, bound to this row) and
 * never leave the module except to the adapter's call. Health and the last error are what the last call saw.
 */
export const Supplier = model
  .define("supplier", {
    id: model.id({ prefix: "sup" }).primaryKey(),
    name: model.text(),
    adapter: model.enum(["medusa_store", "dujiao_next", "generic_http"]),
    base_url: model.text(),
    /** The adapter's settings (not secret). */
    config: model.json().default({}),
    credentials_ciphertext: model.text().nullable(),
    credentials_key_version: model.number().nullable(),
    /** Names of the credential fields set (never their values), for the admin. */
    credential_fields: model.json().default({}),
    status: model.enum(["active", "disabled"]).default("active"),
    timeout_ms: model.number().default(10000),
    /** Requests per minute we send this supplier at most (all operations). */
    rate_limit_per_minute: model.number().default(120),
    /** Submissions of one order at most (a recovery after a lost answer counts as one). */
    max_attempts: model.number().default(5),
    /** Seconds between queries of an order without a final answer. */
    poll_interval_seconds: model.number().default(30),
    /** The balance under which admins are alerted, decimal text. */
    low_balance_threshold: model.bigNumber().nullable(),
    health: model.enum(["unknown", "ok", "failing"]).default("unknown"),
    last_error: model.text().nullable(),
    last_checked_at: model.dateTime().nullable(),
    balance: model.bigNumber().nullable(),
    balance_currency_code: model.text().nullable(),
    balance_checked_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["name"], unique: true }])
