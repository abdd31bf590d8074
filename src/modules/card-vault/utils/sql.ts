import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { Context, DAL } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import type { CardActor } from "../types"
import type { CodeCipher } from "./crypto"
import type { ResolvedCardVaultOptions } from "./options"

export type { Knex }

/** What the vault's internal services are given by the module's container (see loaders/keyring). */
export type VaultServiceDeps = {
  baseRepository: DAL.RepositoryService
  cardVaultOptions: ResolvedCardVaultOptions
  codeCipher: CodeCipher
  cardVaultLinkKey: Buffer
}

/** A quoted SQL list of statuses, e.g. for `status IN (…)`: the values come from the state machine, never from input. */
export const IN = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ")

/** An audit row's actor columns, in order: actor_type, actor_id, ip, user_agent (cut to 512 characters). */
export const auditActor = (actor: CardActor): [string, string | null, string | null, string | null] => [
  actor.type,
  actor.id ?? null,
  actor.ip ?? null,
  actor.user_agent ? String(actor.user_agent).slice(0, 512) : null,
]

/** The SQLSTATE of a database error (`23505` a unique violation, `CV001` the reservation's shortage), else undefined. */
export function sqlStateOf(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined
}

export const INSERT_CHUNK = 1000
export const LOOKUP_CHUNK = 5000

/** One audit log entry, written in the transaction of the change it records. */
export type AuditEntry = {
  action: string
  actor: CardActor
  pool_id?: string | null
  batch_id?: string | null
  order_id?: string | null
  cart_id?: string | null
  code_ids?: string[]
  /** How many codes the entry concerns when they are too many to list (imports). */
  code_count?: number
  reason?: string | null
  details?: Record<string, unknown>
}

/** The connection (or transaction) of a Medusa context: the ORM manager's knex. */
export function knexOf(ctx: Context): Knex {
  const em = (ctx.transactionManager ?? ctx.manager) as { getTransactionContext?: () => Knex | undefined; getKnex: () => Knex }
  return em.getTransactionContext?.() ?? em.getKnex()
}

/** Writes one audit row with `knex` (the caller's transaction). Returns its id. */
export async function writeAudit(knex: Knex, entry: AuditEntry): Promise<string> {
  const id = generateEntityId(undefined, "caudit")
  await knex("card_audit_log").insert({
    id,
    action: entry.action,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id ?? null,
    ip: entry.actor.ip ?? null,
    user_agent: entry.actor.user_agent ? String(entry.actor.user_agent).slice(0, 512) : null,
    pool_id: entry.pool_id ?? null,
    batch_id: entry.batch_id ?? null,
    order_id: entry.order_id ?? null,
    cart_id: entry.cart_id ?? null,
    code_ids: entry.code_ids ? JSON.stringify(entry.code_ids) : null,
    code_count: entry.code_count ?? entry.code_ids?.length ?? 0,
    reason: entry.reason ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
  })
  return id
}

/**
 * What every internal service of the vault shares: the module's repository (for Medusa's manager decorators), its
 * options and cipher, and the SQL helpers. All SQL of the vault runs through `knex_(ctx)` — the transaction of the
 * caller's context — or, for the checkout's one-statement reservation, the module's own pool (`rootKnex_`).
 */
export abstract class VaultSqlService {
  protected baseRepository_: DAL.RepositoryService
  protected readonly options_: ResolvedCardVaultOptions
  protected readonly cipher_: CodeCipher

  constructor(container: VaultServiceDeps) {
    this.baseRepository_ = container.baseRepository
    this.options_ = container.cardVaultOptions
    this.cipher_ = container.codeCipher
  }

  /** The module's connection pool, for work that needs no ORM entity manager. */
  protected rootKnex_(): Knex {
    return (this.rootKnexCache_ ??= this.baseRepository_.getFreshManager<{ getKnex(): Knex }>().getKnex())
  }

  private rootKnexCache_: Knex | null = null

  protected knex_(ctx: Context): Knex {
    return knexOf(ctx)
  }

  protected audit_(knex: Knex, entry: AuditEntry): Promise<string> {
    return writeAudit(knex, entry)
  }

  /** Serialises concurrent work on one key (a cart, an order) inside the current transaction. */
  protected async xactLock_(knex: Knex, key: string) {
    await knex.raw("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [key])
  }
}
