import type { Context } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import type { SupplierConnection } from "../adapters/types"
import { credentialsAad } from "../utils/sealing"
import { rawMoney } from "../utils/money"
import { generateEntityId } from "@medusajs/framework/utils"

/** A supplier's credentials once sealed (bound to the supplier's id): what workflows may carry. */
export type SealedCredentials = { ciphertext: string | null; key_version: number | null; fields: string[] }

/** Money columns of the suppliers' tables: written with their `raw_` twin, from decimal text. */
const MONEY = new Set(["low_balance_threshold", "unit_cost", "max_unit_cost", "restock_daily_budget", "balance"])
const JSONB = new Set(["config", "recipient_fields", "credential_fields"])

function columnsOf(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue
    if (MONEY.has(k)) {
      out[k] = v === null ? null : String(v)
      out[`raw_${k}`] = rawMoney(v === null ? null : String(v))
    } else if (JSONB.has(k)) {
      out[k] = JSON.stringify(v ?? {})
    } else {
      out[k] = v
    }
  }
  return out
}
import { knexOf, SuppliersSqlService } from "../utils/sql"

/** A supplier's sealed credentials: set and replaced here, opened only into a connection for one call. */
export default class SupplierDirectoryService extends SuppliersSqlService {
  /** Creates a supplier or a supplier product row from settings (money as decimal text). Answers its id. */
  @InjectTransactionManager()
  async insertRow(table: "supplier" | "supplier_product", fields: Record<string, unknown> & { id?: string }, @MedusaContext() ctx: Context = {}): Promise<string> {
    const knex = knexOf(ctx)
    const id = fields.id ?? generateEntityId(undefined, table === "supplier" ? "sup" : "supprod")
    if (table === "supplier" && fields.name !== undefined) {
      const taken = await knex("supplier").select("id").where({ name: fields.name }).whereNull("deleted_at").first()
      if (taken) throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, `A supplier named ${JSON.stringify(fields.name)} already exists`)
    }
    await knex(table).insert({ ...columnsOf(fields), id })
    return id
  }

  /** Updates a supplier or a supplier product row (money as decimal text). */
  @InjectTransactionManager()
  async updateRow(table: "supplier" | "supplier_product", id: string, fields: Record<string, unknown>, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = knexOf(ctx)
    const n = await knex(table).where({ id }).whereNull("deleted_at").update({ ...columnsOf(fields), updated_at: knex.fn.now() })
    if (!n) throw new MedusaError(MedusaError.Types.NOT_FOUND, `${table === "supplier" ? "Supplier" : "Supplier product"} with id: ${id} was not found`)
  }

  /**
   * Seals credentials for a supplier — a new one (its id is chosen here) or an existing one — before any workflow sees
   * them: workflows carry only the ciphertext and the names of the fields.
   */
  sealCredentials(supplierId: string | null, credentials: Record<string, string>): { supplier_id: string; credentials: SealedCredentials } {
    const id = supplierId ?? generateEntityId(undefined, "sup")
    const entries = Object.entries(credentials).filter(([, v]) => typeof v === "string" && v !== "")
    const sealed = entries.length ? this.sealer_.seal(Object.fromEntries(entries), credentialsAad(id)) : null
    return {
      supplier_id: id,
      credentials: { ciphertext: sealed?.ciphertext ?? null, key_version: sealed?.key_version ?? null, fields: entries.map(([k]) => k) },
    }
  }

  /** Stores a supplier's sealed credentials (replacing all of them); only their field names are kept in clear. */
  @InjectTransactionManager()
  async setCredentials(supplierId: string, sealed: SealedCredentials, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = knexOf(ctx)
    const n = await knex("supplier")
      .where({ id: supplierId })
      .whereNull("deleted_at")
      .update({
        credentials_ciphertext: sealed.ciphertext,
        credentials_key_version: sealed.key_version,
        credential_fields: JSON.stringify(Object.fromEntries(sealed.fields.map((k) => [k, true]))),
        updated_at: knex.fn.now(),
      })
    if (!n) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Supplier with id: ${supplierId} was not found`)
  }

  /** Everything an adapter needs for one call to the supplier, credentials opened. Never logged, never answered. */
  @InjectManager()
  async connectionOf(supplierId: string, @MedusaContext() ctx: Context = {}): Promise<SupplierConnection & { adapter: string; status: string; rate_limit_per_minute: number }> {
    const row = await knexOf(ctx)("supplier").select("*").where({ id: supplierId }).whereNull("deleted_at").first()
    if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Supplier with id: ${supplierId} was not found`)
    const credentials = row.credentials_ciphertext
      ? this.sealer_.open<Record<string, string>>({ key_version: row.credentials_key_version, ciphertext: row.credentials_ciphertext }, credentialsAad(row.id))
      : {}
    return {
      supplier_id: row.id,
      adapter: row.adapter,
      status: row.status,
      rate_limit_per_minute: Number(row.rate_limit_per_minute),
      base_url: String(row.base_url).replace(/\/+$/, ""),
      credentials,
      config: (row.config ?? {}) as Record<string, unknown>,
      timeout_ms: Number(row.timeout_ms),
      allow_private_addresses: this.options_.allow_private_addresses,
      callback_url: `${this.options_.public_url}/suppliers/callbacks/${row.id}`,
    }
  }

  /**
   * What the last call to a supplier saw: its health and last error (never a secret: errors are the adapter's short
   * reasons). Written when it changes, or at most every 10 seconds otherwise: calls at full speed do not queue on the
   * supplier's row.
   */
  @InjectTransactionManager()
  async recordHealth(supplierId: string, input: { ok: boolean; error?: string | null }, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = knexOf(ctx)
    const health = input.ok ? "ok" : "failing"
    const lastError = input.ok ? null : String(input.error ?? "failed").slice(0, 500)
    await knex("supplier")
      .where({ id: supplierId })
      .where((q) =>
        q
          .whereRaw("health IS DISTINCT FROM ?", [health])
          .orWhereRaw("last_error IS DISTINCT FROM ?", [lastError])
          .orWhereNull("last_checked_at")
          .orWhereRaw("last_checked_at < now() - interval '10 seconds'")
      )
      .update({
        health,
        last_error: lastError,
        last_checked_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
  }

  /** Records the balance a supplier reported. */
  @InjectTransactionManager()
  async recordBalance(supplierId: string, input: { amount: string; currency_code: string | null }, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = knexOf(ctx)
    await knex("supplier")
      .where({ id: supplierId })
      .update({
        balance: input.amount,
        raw_balance: JSON.stringify({ value: input.amount, precision: 20 }),
        balance_currency_code: input.currency_code,
        balance_checked_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
  }
}
