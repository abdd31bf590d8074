import { createHash } from "crypto"
import { Readable } from "stream"
import { pipeline } from "stream/promises"
import { from as copyFrom } from "pg-copy-streams"
import { Context, DAL } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import { CardAlert, CardAuditLog, CardBatch, CardCode, CardDelivery, CardImportError, CardPool, CardReceipt, CardRevealLink } from "./models"
import { CodeCipher, codeAad, maskCode } from "./utils/crypto"
import { bulkEntityId } from "./utils/ids"
import { FingerprintSet } from "./utils/fingerprint-set"
import { ImportEntry, ImportEntryError, validateImportEntry } from "./utils/import-entries"
import type { ImportLine } from "./utils/import-file"
import { CardVaultModuleOptions, resolveCardVaultOptions, ResolvedCardVaultOptions } from "./utils/options"
import { RevealLinkData, revealLinkKey, revealLinkToken, revealLinkUrl } from "./utils/reveal-link"
import { CARD_CODE_STATUSES, CardCodeStatusValue, CardCodeTransitions, sourcesOf } from "./utils/state-machine"

/** Who did something, as the audit log records it. */
export type CardActor = {
  type: "user" | "customer" | "guest_link" | "system" | "agent"
  id?: string | null
  ip?: string | null
  user_agent?: string | null
}

/** A code after sealing: what reaches workflows and the database. No plaintext. */
export type SealedCardCode = {
  id: string
  line: number
  key_version: number
  ciphertext: string
  blind_index: string
  mask: string
  has_password: boolean
  expires_at: Date | null
  /** Cost of this code when its import line gave one (decimal string). */
  cost?: string | null
}

export type RevealedCardCode = { id: string; mask: string; code: string; password: string | null }

export type StockCounts = Record<CardCodeStatusValue, number> & { total: number }

/** Fields that may leave the module in lists: never the ciphertext or blind index. */
export const CARD_CODE_PUBLIC_FIELDS = [
  "id",
  "pool_id",
  "batch_id",
  "status",
  "mask",
  "has_password",
  "expires_at",
  "order_id",
  "line_item_id",
  "reserved_at",
  "delivered_at",
  "revealed_at",
  "reveal_count",
  "voided_at",
  "void_reason",
  "invalid",
  "created_at",
] as const

type Knex = any

export type AllocationOrder = "fifo" | "expiry_first"

const IN = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ")

/** An audit row's actor columns, in order: actor_type, actor_id, ip, user_agent (cut to 512 characters). */
const auditActor = (actor: CardActor): [string, string | null, string | null, string | null] => [
  actor.type,
  actor.id ?? null,
  actor.ip ?? null,
  actor.user_agent ? String(actor.user_agent).slice(0, 512) : null,
]
const INSERT_CHUNK = 1000
const LOOKUP_CHUNK = 5000

class CardVaultModuleService extends MedusaService({
  CardPool,
  CardBatch,
  CardCode,
  CardAuditLog,
  CardRevealLink,
  CardReceipt,
  CardDelivery,
  CardAlert,
  CardImportError,
}) {
  protected baseRepository_: DAL.RepositoryService
  protected readonly cipher_: CodeCipher
  protected readonly options_: ResolvedCardVaultOptions

  constructor(container: Record<string, any>, options: CardVaultModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.baseRepository_ = container.baseRepository
    this.options_ = resolveCardVaultOptions(options)
    this.cipher_ = new CodeCipher(this.options_.keyring)
    this.linkKey_ = revealLinkKey({ link_key: this.options_.link_key, blind_index_key: this.options_.keyring.blind_index_key }, {})
  }

  /** The key guest links' tokens are derived with (see utils/reveal-link): held in memory only. */
  protected readonly linkKey_: Buffer

  /** The module's options without its keys. */
  getOptions(): Omit<ResolvedCardVaultOptions, "keyring" | "link_key"> {
    const { keyring: _keyring, link_key: _linkKey, ...rest } = this.options_
    return rest
  }

  /** The module's connection pool, for work that needs no ORM entity manager. */
  private rootKnex_(): Knex {
    return (this.rootKnexCache_ ??= (this.baseRepository_ as any).getFreshManager().getKnex())
  }

  private rootKnexCache_: Knex | null = null

  private knex_(ctx: Context): Knex {
    const em: any = ctx.transactionManager ?? ctx.manager
    return em.getTransactionContext?.() ?? em.getKnex()
  }

  private async audit_(
    knex: Knex,
    entry: {
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
  ): Promise<string> {
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

  /** Serialises concurrent work on one key (a cart, an order) inside the current transaction. */
  private async xactLock_(knex: Knex, key: string) {
    await knex.raw("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [key])
  }

  /**
   * Encrypts validated entries for `poolId`. Pure computation: nothing is stored. The result carries ids,
   * ciphertexts, blind indexes and masks, never plaintext, so it may pass through workflows.
   */
  sealCodes(poolId: string, entries: ImportEntry[]): SealedCardCode[] {
    return entries.map((entry) => {
      const id = bulkEntityId("ccode")
      const sealed = this.cipher_.encrypt({ code: entry.code, password: entry.password }, codeAad(id, poolId))
      return {
        id,
        line: entry.line,
        key_version: sealed.key_version,
        ciphertext: sealed.ciphertext,
        blind_index: this.cipher_.blindIndex(entry.code),
        mask: maskCode(entry.code),
        has_password: !!entry.password,
        expires_at: entry.expires_at,
        cost: entry.cost ?? null,
      }
    })
  }

  /** Blind index of a full code, for lookups. */
  blindIndexOf(code: string): string {
    return this.cipher_.blindIndex(code)
  }

  /** Which of the given blind indexes are already stored. */
  @InjectManager()
  async findExistingBlindIndexes(blindIndexes: string[], @MedusaContext() ctx: Context = {}): Promise<Set<string>> {
    const knex = this.knex_(ctx)
    const found = new Set<string>()
    for (let i = 0; i < blindIndexes.length; i += LOOKUP_CHUNK) {
      // One array parameter: the statement is the same whatever the chunk size.
      const { rows } = await knex.raw(
        "SELECT blind_index FROM card_code WHERE blind_index = ANY(?::text[]) AND deleted_at IS NULL",
        [blindIndexes.slice(i, i + LOOKUP_CHUNK)]
      )
      rows.forEach((r: { blind_index: string }) => found.add(r.blind_index))
    }
    return found
  }

  /**
   * Stores sealed codes as one committed batch, all or nothing. A code already in the vault (also one added
   * by a concurrent import) rejects the whole batch.
   */
  @InjectTransactionManager()
  async importSealedCodes(
    input: CardBatchInput & { codes: SealedCardCode[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ batch_id: string; imported: number }> {
    const knex = this.knex_(ctx)
    const pool = await knex("card_pool").first("id").where({ id: input.pool_id }).whereNull("deleted_at")
    if (!pool) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${input.pool_id} was not found`)
    }
    if (!input.codes.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "An import needs at least one code")
    }
    const batchId = generateEntityId(undefined, "cbatch")
    const batchExpiry = input.expires_at ? new Date(input.expires_at) : null
    await knex("card_batch").insert({
      ...batchFields(batchId, input),
      source: "import",
      status: "committed",
      code_count: input.codes.length,
      rejected_count: 0,
    })
    try {
      for (let i = 0; i < input.codes.length; i += INSERT_CHUNK) {
        await knex("card_code").insert(
          input.codes.slice(i, i + INSERT_CHUNK).map((c) => ({
            id: c.id,
            pool_id: input.pool_id,
            batch_id: batchId,
            status: "available",
            key_version: c.key_version,
            ciphertext: c.ciphertext,
            blind_index: c.blind_index,
            mask: c.mask,
            has_password: c.has_password,
            expires_at: c.expires_at ?? batchExpiry,
            cost: c.cost ?? null,
            raw_cost: c.cost ? JSON.stringify({ value: c.cost, precision: 20 }) : null,
          }))
        )
      }
    } catch (e: any) {
      if (e?.code === "23505") {
        throw new MedusaError(
          MedusaError.Types.DUPLICATE_ERROR,
          "Import rejected, nothing stored: a code in this import is already in the vault (added concurrently)"
        )
      }
      throw e
    }
    await this.audit_(knex, {
      action: "import",
      actor: input.actor,
      pool_id: input.pool_id,
      batch_id: batchId,
      code_count: input.codes.length,
      details: { imported: input.codes.length, supplier: input.supplier ?? null },
    })
    return { batch_id: batchId, imported: input.codes.length }
  }

  /**
   * Reserves codes for a cart: per pool a conditional claim (`FOR UPDATE SKIP LOCKED`, in the pool's allocation order).
   * Re-entrant per cart: codes the cart already holds count towards the quantity. Either every pool covers its
   * quantity or nothing is reserved and an out-of-stock error names the pools.
   *
   * The hot path of checkout, so it is one round trip: the database function `card_vault_reserve` (see the migration
   * that defines it) takes the per-cart lock, claims for every pool and writes the `reserve` audit rows, in the
   * implicit transaction of that one statement; a shortage raises and rolls the whole call back.
   */
  // No @InjectManager: it always runs in a transaction of its own and needs no ORM entity manager, only a connection
  // (forking a manager per call costs a noticeable share of a checkout's reservation).
  async reserveForCart(input: {
    cart_id: string
    items: { pool_id: string; quantity: number }[]
    actor?: CardActor
  }): Promise<{ reserved_code_ids: string[] }> {
    const wanted = new Map<string, number>()
    for (const item of input.items) {
      if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Quantity for pool ${item.pool_id} must be a positive integer`)
      }
      wanted.set(item.pool_id, (wanted.get(item.pool_id) ?? 0) + item.quantity)
    }
    if (!wanted.size) return { reserved_code_ids: [] }
    const statement = reservationCall(input.cart_id, wanted, input.actor ?? { type: "system" })
    const knex = this.rootKnex_()
    const conn = await knex.client.acquireConnection()
    try {
      const { rows } = await conn.query(statement)
      return { reserved_code_ids: rows[0].ids }
    } catch (e: any) {
      if (e?.code === OUT_OF_STOCK_SQLSTATE) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, e.message)
      throw e
    } finally {
      await knex.client.releaseConnection(conn)
    }
  }

  /**
   * The codes of a wholesale order, claimed in the caller's transaction (pass its context: the order's quota, ledger
   * posting and agent order commit with them, or nothing does) under the reservation key `key`, all pools or nothing
   * (out of stock → NOT_ALLOWED "Out of stock: …"). Unless `hold`, they are delivered at once to `owner_id` (the agent
   * order: the agent has them from the answer on; `bindOwnerCodes` moves them to its Medusa order later); held codes
   * (a risk review) stay reserved under `key` until an admin approves. Returns code ids, never codes.
   */
  @InjectTransactionManager()
  async claimForOwner(
    input: { key: string; owner_id: string; items: { pool_id: string; quantity: number }[]; hold: boolean; actor: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_ids: string[] }> {
    const wanted = new Map<string, number>()
    for (const item of input.items) {
      if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Quantity for pool ${item.pool_id} must be a positive integer`)
      }
      wanted.set(item.pool_id, (wanted.get(item.pool_id) ?? 0) + item.quantity)
    }
    const knex = this.knex_(ctx)
    const call = reservationCall(input.key, wanted, input.actor)
    const bindings: unknown[] = []
    const text = call.text.replace(/\$(\d+)/g, (_, n: string) => {
      bindings.push(call.values[Number(n) - 1])
      return "?"
    })
    let reserved: string[]
    try {
      reserved = (await knex.raw(text, bindings)).rows[0].ids
    } catch (e: unknown) {
      if ((e as { code?: string } | null)?.code === OUT_OF_STOCK_SQLSTATE) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, (e as Error).message)
      throw e
    }
    if (input.hold || !reserved.length) return { code_ids: reserved }
    // The delivery and its audit row in one statement.
    const { rows } = await knex.raw(
      `WITH d AS (
         UPDATE card_code SET status = '${CardCodeTransitions.deliver.to}', order_id = ?, delivered_at = now(), updated_at = now()
          WHERE cart_id = ? AND status IN (${IN(sourcesOf("deliver"))}) AND order_id IS NULL AND deleted_at IS NULL
          RETURNING id),
       audited AS (
         INSERT INTO card_audit_log (id, action, actor_type, actor_id, ip, user_agent, order_id, cart_id, code_ids, code_count)
         SELECT ?, 'deliver', ?, ?, ?, ?, ?, ?, coalesce((SELECT jsonb_agg(id ORDER BY id) FROM d), '[]'::jsonb), (SELECT count(*) FROM d))
       SELECT id FROM d ORDER BY id`,
      [
        input.owner_id,
        input.key,
        generateEntityId(undefined, "caudit"),
        ...auditActor(input.actor),
        input.owner_id,
        input.key,
      ]
    )
    return { code_ids: rows.map((r: { id: string }) => r.id) }
  }

  /**
   * Moves the codes delivered to `from_owner_id` (a wholesale order answered before its Medusa order existed) to the
   * Medusa order `order_id`, each onto the line of its pool. Status and reveals are kept; running it again moves
   * nothing. Audited as a delivery to the order.
   */
  @InjectTransactionManager()
  async bindOwnerCodes(
    input: { from_owner_id: string; order_id: string; lines: { pool_id: string; line_item_id: string }[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_ids: string[] }> {
    const knex = this.knex_(ctx)
    const moved: string[] = []
    for (const line of input.lines) {
      const { rows } = await knex.raw(
        `UPDATE card_code SET order_id = ?, line_item_id = ?, updated_at = now()
          WHERE order_id = ? AND pool_id = ? AND status IN (${IN(sourcesOf("reveal"))}) AND deleted_at IS NULL
          RETURNING id`,
        [input.order_id, line.line_item_id, input.from_owner_id, line.pool_id]
      )
      moved.push(...rows.map((r: { id: string }) => r.id))
    }
    if (moved.length) {
      await this.audit_(knex, {
        action: "deliver",
        actor: { type: "system" },
        order_id: input.order_id,
        code_ids: moved.sort(),
        details: { agent_order_id: input.from_owner_id },
      })
    }
    return { code_ids: moved }
  }

  /** Compensation of `bindOwnerCodes`: the given codes of `order_id` go back to their first owner, off any line. */
  @InjectTransactionManager()
  async unbindOwnerCodes(input: { order_id: string; to_owner_id: string; code_ids: string[] }, @MedusaContext() ctx: Context = {}) {
    if (!input.code_ids.length) return
    const knex = this.knex_(ctx)
    await knex("card_code")
      .where({ order_id: input.order_id })
      .whereIn("id", input.code_ids)
      .update({ order_id: input.to_owner_id, line_item_id: null, updated_at: knex.fn.now() })
  }

  /**
   * Claims up to `limit` available codes for `cartKey` (delivery of a swept reservation, reissue) with the single claim
   * statement, in the pool's allocation order. Expired codes are never taken, even before the expiry job ran.
   */
  private async claim_(knex: Knex, poolId: string, limit: number, cartKey: string, order: AllocationOrder): Promise<string[]> {
    if (!Number.isInteger(limit) || limit <= 0) return []
    const { rows } = await knex.raw(claimStatement(order), [poolId, limit, cartKey])
    return rows.map((r: { id: string }) => r.id)
  }

  /** Returns reserved codes to stock: given ids, or everything a cart holds that no order took. */
  @InjectTransactionManager()
  async releaseReservations(
    input: { code_ids?: string[]; cart_id?: string; reason: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ released_code_ids: string[] }> {
    if (!input.code_ids?.length && !input.cart_id) return { released_code_ids: [] }
    const knex = this.knex_(ctx)
    const q = knex("card_code")
      .whereIn("status", sourcesOf("release"))
      .whereNull("order_id")
      .update({
        status: CardCodeTransitions.release.to,
        cart_id: null,
        reserved_at: null,
        updated_at: knex.fn.now(),
      })
      .returning("id")
    if (input.code_ids?.length) q.whereIn("id", input.code_ids)
    if (input.cart_id) q.where("cart_id", input.cart_id)
    const ids = (await q).map((r: { id: string }) => r.id)
    if (ids.length) {
      await this.audit_(knex, {
        action: "release",
        actor: input.actor ?? { type: "system" },
        cart_id: input.cart_id ?? null,
        code_ids: ids,
        reason: input.reason,
      })
    }
    return { released_code_ids: ids }
  }

  /**
   * Delivers an order's codes exactly once per line: codes the order already has count; missing ones come from
   * the cart's reservation, then (if a reservation was swept) from available stock. All or nothing. Running it
   * again returns the same codes.
   */
  @InjectTransactionManager()
  async deliverOrder(
    input: {
      order_id: string
      cart_id?: string | null
      lines: { line_item_id: string; pool_id: string; quantity: number }[]
      actor?: CardActor
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_ids: string[]; delivered_now: string[] }> {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    const cartKey = input.cart_id ?? `order:${input.order_id}`
    // A reserved code that expired while the order was being paid is not sold: it becomes expired and the line
    // takes a fresh code from stock instead.
    await knex.raw(
      `UPDATE card_code SET status = '${CardCodeTransitions.expire.to}', updated_at = now()
        WHERE cart_id = ? AND status = 'reserved' AND order_id IS NULL AND expires_at <= now()`,
      [cartKey]
    )
    const orders = await this.allocationOrders_(knex, input.lines.map((l) => l.pool_id))
    const deliveredNow: string[] = []
    const shortages: string[] = []
    for (const line of input.lines) {
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Quantity of line ${line.line_item_id} must be a positive integer`)
      }
      const row = await knex("card_code")
        .count({ n: "*" })
        .where({ order_id: input.order_id, line_item_id: line.line_item_id })
        .whereIn("status", ["delivered", "revealed"])
        .first()
      let need = line.quantity - Number(row?.n ?? 0)
      if (need <= 0) continue
      let ids = await this.deliverReserved_(knex, input.order_id, line, cartKey, need)
      need -= ids.length
      if (need > 0) {
        await this.claim_(knex, line.pool_id, need, cartKey, orders.get(line.pool_id) ?? "fifo")
        const more = await this.deliverReserved_(knex, input.order_id, line, cartKey, need)
        ids = ids.concat(more)
        need -= more.length
      }
      deliveredNow.push(...ids)
      if (need > 0) shortages.push(`line ${line.line_item_id} needs ${need} more from pool ${line.pool_id}`)
    }
    if (shortages.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Out of stock while delivering order ${input.order_id}: ${shortages.join("; ")}`
      )
    }
    if (deliveredNow.length) {
      await this.audit_(knex, {
        action: "deliver",
        actor: input.actor ?? { type: "system" },
        order_id: input.order_id,
        cart_id: input.cart_id ?? null,
        code_ids: deliveredNow,
      })
    }
    await this.setDeliveryStatus_(knex, input.order_id, "delivered", null)
    const all = await knex("card_code")
      .select("id")
      .where({ order_id: input.order_id })
      .whereIn("status", ["delivered", "revealed"])
      .orderBy("id")
    return { code_ids: all.map((r: { id: string }) => r.id), delivered_now: deliveredNow }
  }

  private async allocationOrders_(knex: Knex, poolIds: string[]): Promise<Map<string, AllocationOrder>> {
    const rows = await knex("card_pool").select("id", "allocation_order").whereIn("id", [...new Set(poolIds)])
    return new Map(rows.map((r: { id: string; allocation_order: AllocationOrder }) => [r.id, r.allocation_order]))
  }

  private async deliverReserved_(
    knex: Knex,
    orderId: string,
    line: { line_item_id: string; pool_id: string },
    cartKey: string,
    limit: number
  ): Promise<string[]> {
    const from = sourcesOf("deliver")
    const { rows } = await knex.raw(
      `WITH c AS (
         SELECT id FROM card_code
          WHERE cart_id = ? AND pool_id = ? AND status IN (${IN(from)}) AND order_id IS NULL AND deleted_at IS NULL
            AND (expires_at IS NULL OR expires_at > now())
          ORDER BY id LIMIT ? FOR UPDATE)
       UPDATE card_code cc
          SET status = '${CardCodeTransitions.deliver.to}', order_id = ?, line_item_id = ?,
              delivered_at = now(), updated_at = now()
         FROM c WHERE cc.id = c.id
       RETURNING cc.id`,
      [cartKey, line.pool_id, limit, orderId, line.line_item_id]
    )
    return rows.map((r: { id: string }) => r.id)
  }

  /** Compensation of a delivery: the given codes of the order go back to the cart's reservation. */
  @InjectTransactionManager()
  async undeliverCodes(
    input: { order_id: string; code_ids: string[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ code_ids: string[] }> {
    if (!input.code_ids.length) return { code_ids: [] }
    const knex = this.knex_(ctx)
    const rows = await knex("card_code")
      .where({ order_id: input.order_id })
      .whereIn("id", input.code_ids)
      .whereIn("status", sourcesOf("undeliver"))
      .update({
        status: CardCodeTransitions.undeliver.to,
        order_id: null,
        line_item_id: null,
        delivered_at: null,
        cart_id: knex.raw("coalesce(cart_id, ?)", [`order:${input.order_id}`]),
        updated_at: knex.fn.now(),
      })
      .returning("id")
    const ids = rows.map((r: { id: string }) => r.id)
    if (ids.length) {
      await this.audit_(knex, {
        action: "undeliver",
        actor: { type: "system" },
        order_id: input.order_id,
        code_ids: ids,
        reason: "delivery workflow rolled back",
      })
    }
    return { code_ids: ids }
  }

  /** Compensation of an import: removes the batch and its codes, which must all still be available. */
  @InjectTransactionManager()
  async revertImport(input: { batch_id: string }, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = this.knex_(ctx)
    const batch = await knex("card_batch").first("id", "pool_id").where({ id: input.batch_id })
    if (!batch) return
    const busy = await knex("card_code")
      .count({ n: "*" })
      .where({ batch_id: input.batch_id })
      .whereNot("status", "available")
      .first()
    if (Number(busy?.n ?? 0) > 0) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Batch ${input.batch_id} cannot be reverted: some of its codes already left stock`
      )
    }
    await knex("card_code").where({ batch_id: input.batch_id }).delete()
    await knex("card_batch").where({ id: input.batch_id }).delete()
    await this.audit_(knex, {
      action: "import_reverted",
      actor: { type: "system" },
      pool_id: batch.pool_id,
      batch_id: input.batch_id,
    })
  }

  /**
   * Returns plaintext for codes that were delivered, records the reveal (who, when, IP, user agent, reason) and
   * moves them to `revealed`, all in one transaction. When `order_id` is given, codes of other orders are
   * "not found", exactly like missing ones.
   */
  @InjectTransactionManager()
  async revealCodes(
    input: { code_ids?: string[]; order_id?: string; actor: CardActor; reason?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<RevealedCardCode[]> {
    const knex = this.knex_(ctx)
    if (!input.code_ids?.length && !input.order_id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Reveal needs code ids or an order id")
    }
    const q = knex("card_code")
      .whereIn("status", sourcesOf("reveal"))
      .whereNull("deleted_at")
      .update({
        status: CardCodeTransitions.reveal.to,
        revealed_at: knex.raw("coalesce(revealed_at, now())"),
        reveal_count: knex.raw("reveal_count + 1"),
        updated_at: knex.fn.now(),
      })
      .returning(["id", "pool_id", "order_id", "key_version", "ciphertext", "mask"])
    if (input.code_ids?.length) q.whereIn("id", input.code_ids)
    if (input.order_id) q.where("order_id", input.order_id)
    const rows: any[] = await q
    if (!rows.length || (input.code_ids?.length && rows.length !== new Set(input.code_ids).size)) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, "Card code not found")
    }
    rows.sort((a, b) => (a.id < b.id ? -1 : 1))
    await this.audit_(knex, {
      action: "reveal",
      actor: input.actor,
      order_id: input.order_id ?? rows[0].order_id ?? null,
      pool_id: rows[0].pool_id,
      code_ids: rows.map((r) => r.id),
      reason: input.reason ?? null,
    })
    return rows.map((r) => {
      const secret = this.cipher_.decrypt({ key_version: r.key_version, ciphertext: r.ciphertext }, codeAad(r.id, r.pool_id))
      return { id: r.id, mask: r.mask, code: secret.code, password: secret.password ?? null }
    })
  }

  /**
   * Reveals every delivered code held by any of `owner_ids` (an order, or a wholesale order before and after its
   * bookkeeping) and audits it — one statement: the status change and its audit row commit together. Codes not
   * delivered (held for review, reserved) are not touched. Returns the codes with their pool, by id; none is `[]`.
   */
  @InjectManager()
  async revealOwnerCodes(
    input: { owner_ids: string[]; actor: CardActor; reason?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<(RevealedCardCode & { pool_id: string; order_id: string })[]> {
    const owners = input.owner_ids.filter(Boolean)
    if (!owners.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, "Reveal needs at least one owner id")
    const { rows } = await this.knex_(ctx).raw(
      `WITH r AS (
         UPDATE card_code SET status = '${CardCodeTransitions.reveal.to}', revealed_at = coalesce(revealed_at, now()),
                reveal_count = reveal_count + 1, updated_at = now()
          WHERE order_id IN (${owners.map(() => "?").join(", ")}) AND status IN (${IN(sourcesOf("reveal"))}) AND deleted_at IS NULL
          RETURNING id, pool_id, order_id, key_version, ciphertext, mask),
       audited AS (
         INSERT INTO card_audit_log (id, action, actor_type, actor_id, ip, user_agent, order_id, pool_id, code_ids, code_count, reason)
         SELECT ?, 'reveal', ?, ?, ?, ?, (SELECT order_id FROM r ORDER BY id LIMIT 1), (SELECT pool_id FROM r ORDER BY id LIMIT 1),
                (SELECT jsonb_agg(id ORDER BY id) FROM r), (SELECT count(*) FROM r), ?
          WHERE EXISTS (SELECT 1 FROM r))
       SELECT id, pool_id, order_id, key_version, ciphertext, mask FROM r ORDER BY id`,
      [
        ...owners,
        generateEntityId(undefined, "caudit"),
        ...auditActor(input.actor),
        input.reason ?? null,
      ]
    )
    return (rows as { id: string; pool_id: string; order_id: string; key_version: number; ciphertext: string; mask: string }[]).map((r) => {
      const secret = this.cipher_.decrypt({ key_version: r.key_version, ciphertext: r.ciphertext }, codeAad(r.id, r.pool_id))
      return { id: r.id, pool_id: r.pool_id, order_id: r.order_id, mask: r.mask, code: secret.code, password: secret.password ?? null }
    })
  }

  /**
   * After a refund or cancellation: delivered codes that were never revealed go back to stock, revealed ones
   * are voided for good, and codes still reserved for the order's cart are released.
   */
  @InjectTransactionManager()
  async returnOrderCodes(
    input: { order_id: string; cart_id?: string | null; reason: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ restocked: string[]; voided: string[]; released: string[] }> {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id)
    const restocked = ids(
      await restock(knex, knex("card_code").where({ order_id: input.order_id }))
    )
    const voided = ids(
      await knex("card_code")
        .where({ order_id: input.order_id })
        .whereIn("status", sourcesOf("void"))
        .update({
          status: CardCodeTransitions.void.to,
          voided_at: knex.fn.now(),
          void_reason: input.reason,
          updated_at: knex.fn.now(),
        })
        .returning("id")
    )
    let released: string[] = []
    if (input.cart_id) {
      released = ids(
        await knex("card_code")
          .where({ cart_id: input.cart_id })
          .whereNull("order_id")
          .whereIn("status", sourcesOf("release"))
          .update({ status: CardCodeTransitions.release.to, cart_id: null, reserved_at: null, updated_at: knex.fn.now() })
          .returning("id")
      )
    }
    await this.setDeliveryStatus_(knex, input.order_id, "returned", null)
    if (restocked.length || voided.length || released.length) {
      await this.audit_(knex, {
        action: "refund",
        actor: input.actor ?? { type: "system" },
        order_id: input.order_id,
        cart_id: input.cart_id ?? null,
        code_ids: [...restocked, ...voided, ...released],
        reason: input.reason,
        details: { restocked: restocked.length, voided: voided.length, released: released.length },
      })
    }
    return { restocked, voided, released }
  }

  private async setDeliveryStatus_(
    knex: Knex,
    orderId: string,
    status: "delivered" | "held" | "returned",
    error: string | null
  ) {
    await knex.raw(
      `INSERT INTO card_delivery (id, order_id, status, attempts, last_error, delivered_at)
       VALUES (?, ?, ?, 1, ?, CASE WHEN ? = 'delivered' THEN now() END)
       ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
         status = CASE WHEN card_delivery.status = 'returned' THEN 'returned' ELSE EXCLUDED.status END,
         attempts = card_delivery.attempts + CASE WHEN card_delivery.status = 'held' OR EXCLUDED.status = 'held' THEN 1 ELSE 0 END,
         last_error = EXCLUDED.last_error,
         delivered_at = coalesce(card_delivery.delivered_at, EXCLUDED.delivered_at),
         updated_at = now()`,
      [generateEntityId(undefined, "cdeliv"), orderId, status, error, status]
    )
  }

  /**
   * Records that an order's delivery could not complete (out of stock, a failing step). The sweep job retries
   * held orders; admins see them with the reason.
   */
  @InjectTransactionManager()
  async holdDelivery(input: { order_id: string; reason: string }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await this.setDeliveryStatus_(knex, input.order_id, "held", input.reason.slice(0, 1000))
    await this.audit_(knex, { action: "hold", actor: { type: "system" }, order_id: input.order_id, reason: input.reason.slice(0, 1000) })
  }

  /**
   * Records a decision about an order that changes no code (a risk hold, an approval or rejection) in the audit log,
   * with who made it and why.
   */
  @InjectManager()
  async recordAudit(
    input: { action: string; actor: CardActor; order_id?: string | null; cart_id?: string | null; reason?: string | null; details?: Record<string, unknown> },
    @MedusaContext() ctx: Context = {}
  ): Promise<string> {
    return this.audit_(this.knex_(ctx), {
      action: input.action,
      actor: input.actor,
      order_id: input.order_id ?? null,
      cart_id: input.cart_id ?? null,
      reason: input.reason ? input.reason.slice(0, 1000) : null,
      details: input.details,
    })
  }

  /** Orders whose delivery is held and was last tried more than `olderThanSeconds` ago. */
  @InjectManager()
  async listHeldDeliveries(olderThanSeconds: number, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    const knex = this.knex_(ctx)
    const rows = await knex("card_delivery")
      .select("order_id")
      .where("status", "held")
      .whereNull("deleted_at")
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .orderBy("updated_at")
      .limit(200)
    return rows.map((r: { order_id: string }) => r.order_id)
  }

  /** Code counts by status per pool (every status present, zero when empty). */
  @InjectManager()
  async getStockCounts(poolIds: string[], @MedusaContext() ctx: Context = {}): Promise<Record<string, StockCounts>> {
    const result: Record<string, StockCounts> = {}
    for (const id of poolIds) {
      result[id] = Object.fromEntries([...CARD_CODE_STATUSES.map((s) => [s, 0]), ["total", 0]]) as StockCounts
    }
    if (!poolIds.length) return result
    const knex = this.knex_(ctx)
    const rows = await knex("card_code")
      .select("pool_id", "status")
      .count({ n: "*" })
      .whereIn("pool_id", poolIds)
      .whereNull("deleted_at")
      .groupBy("pool_id", "status")
    for (const r of rows) {
      const n = Number(r.n)
      result[r.pool_id][r.status as CardCodeStatusValue] = n
      result[r.pool_id].total += n
    }
    return result
  }

  /**
   * Codes a shopper could still buy per pool: available and not past their date (every pool asked for is present,
   * zero when empty). Read from the partial index of available codes, so a pool's sold history costs nothing.
   */
  @InjectManager()
  async getAvailableCounts(poolIds: string[], @MedusaContext() ctx: Context = {}): Promise<Record<string, number>> {
    const result: Record<string, number> = Object.fromEntries(poolIds.map((id) => [id, 0]))
    if (!poolIds.length) return result
    const rows: { pool_id: string; n: string }[] = await this.knex_(ctx)("card_code")
      .select("pool_id")
      .count({ n: "*" })
      .whereIn("pool_id", poolIds)
      .whereIn("status", sourcesOf("reserve"))
      .whereNull("deleted_at")
      .where((q: Knex) => q.whereNull("expires_at").orWhere("expires_at", ">", this.knex_(ctx).fn.now()))
      .groupBy("pool_id")
    for (const r of rows) result[r.pool_id] = Number(r.n)
    return result
  }

  /** Carts holding reservations older than `olderThanSeconds` that no order has taken. */
  @InjectManager()
  async listStaleReservations(olderThanSeconds: number, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    const knex = this.knex_(ctx)
    const rows = await knex("card_code")
      .distinct("cart_id")
      .where("status", "reserved")
      .whereNull("order_id")
      .whereNotNull("cart_id")
      .where("reserved_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .limit(500)
    return rows.map((r: { cart_id: string }) => r.cart_id)
  }

  /**
   * Creates a guest reveal link for an order. Its token is derived from the link's id with the link key and only a
   * hash of it is stored; the token returned here is for the caller's memory only. What a notification carries about
   * the link is `link` (its id and the URL template): the notification provider renders the URL (`revealUrlOf`).
   */
  @InjectTransactionManager()
  async createRevealLink(
    input: { order_id: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; token: string; expires_at: Date; max_uses: number; link: RevealLinkData }> {
    const knex = this.knex_(ctx)
    const id = generateEntityId(undefined, "crlink")
    const token = revealLinkToken(this.linkKey_, id)
    const expiresAt = new Date(Date.now() + this.options_.guest_link_ttl_hours * 3600_000)
    await knex("card_reveal_link").insert({
      id,
      order_id: input.order_id,
      token_hash: hashToken(token),
      expires_at: expiresAt,
      max_uses: this.options_.guest_link_max_uses,
      use_count: 0,
    })
    const max_uses = this.options_.guest_link_max_uses
    return {
      id,
      token,
      expires_at: expiresAt,
      max_uses,
      link: { id, url_template: this.options_.reveal_url, expires_at: expiresAt.toISOString(), max_uses },
    }
  }

  /** The URL of a link whose token the caller holds (the template of the `reveal_url` option). */
  revealUrlFor(token: string): string {
    return revealLinkUrl(this.options_.reveal_url, token)
  }

  /**
   * Resolves a guest link to its order. `consume` spends one use in the same conditional statement that checks
   * expiry and the use limit. Unknown, expired and used-up links all give the same NOT_FOUND.
   */
  @InjectTransactionManager()
  async resolveRevealLink(
    input: { token: string; consume: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ link_id: string; order_id: string; uses_left: number; expires_at: Date }> {
    const row = await spendLimitedUse(this.knex_(ctx), {
      table: "card_reveal_link",
      hash_column: "token_hash",
      hash: hashToken(String(input.token ?? "")),
      owner_column: "order_id",
      consume: input.consume,
    })
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, "Reveal link is invalid or has expired")
    }
    return { link_id: row.id, order_id: row.owner, uses_left: row.max_uses - row.use_count, expires_at: new Date(row.expires_at) }
  }

  /** The hash a receipt's secret is stored and found by (the secret itself never reaches the database). */
  receiptSecretHash(secret: string): string {
    return createHash("sha256").update(`card-receipt:${secret}`).digest("hex")
  }

  /**
   * Registers the receipt of the browser checking out a cart (by the hash of its secret). One per cart: a second
   * registration is a DUPLICATE_ERROR (422), so nobody who learns a cart's id later can swap in a secret of their own.
   */
  @InjectTransactionManager()
  async createReceipt(
    input: { cart_id: string; secret_hash: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; expires_at: Date; max_uses: number }> {
    const knex = this.knex_(ctx)
    const id = generateEntityId(undefined, "crcpt")
    const expiresAt = new Date(Date.now() + this.options_.guest_link_ttl_hours * 3600_000)
    const max_uses = this.options_.guest_link_max_uses
    const rows = await knex("card_receipt")
      .insert({ id, cart_id: input.cart_id, secret_hash: input.secret_hash, expires_at: expiresAt, max_uses, use_count: 0 })
      .onConflict(knex.raw(`(cart_id) WHERE deleted_at IS NULL`))
      .ignore()
      .returning(["id"])
    if (!rows.length) {
      throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, `Cart ${input.cart_id} already has a receipt`)
    }
    return { id, expires_at: expiresAt, max_uses }
  }

  /** Removes a receipt (the compensation of its registration). */
  @InjectTransactionManager()
  async deleteReceipt(id: string, @MedusaContext() ctx: Context = {}): Promise<void> {
    await this.knex_(ctx)("card_receipt").where({ id }).delete()
  }

  /**
   * Resolves a receipt by its secret to the cart it was made for. `consume` spends one use in the same conditional
   * statement that checks expiry and the use limit. Unknown, expired and used-up receipts give the same NOT_FOUND.
   */
  @InjectTransactionManager()
  async resolveReceipt(
    input: { secret: string; consume: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ receipt_id: string; cart_id: string; uses_left: number; expires_at: Date }> {
    const row = await spendLimitedUse(this.knex_(ctx), {
      table: "card_receipt",
      hash_column: "secret_hash",
      hash: this.receiptSecretHash(String(input.secret ?? "")),
      owner_column: "cart_id",
      consume: input.consume,
    })
    if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, "Receipt is invalid or has expired")
    return { receipt_id: row.id, cart_id: row.owner, uses_left: row.max_uses - row.use_count, expires_at: new Date(row.expires_at) }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Expiry, alerts, after-sales and batch reports
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Moves available codes past their expiry date to `expired`, at most `limit` per call (rows being claimed right now
   * are skipped and caught next time). One audit row per pool. Reserved codes are handled where they are used:
   * delivery never hands out an expired code.
   */
  @InjectTransactionManager()
  async expireCodes(
    input: { limit?: number } = {},
    @MedusaContext() ctx: Context = {}
  ): Promise<{ expired: number; by_pool: Record<string, number> }> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `WITH c AS (
         SELECT id FROM card_code
          WHERE status = 'available' AND expires_at <= now() AND deleted_at IS NULL
          LIMIT ? FOR UPDATE SKIP LOCKED)
       UPDATE card_code cc SET status = '${CardCodeTransitions.expire.to}', updated_at = now()
         FROM c WHERE cc.id = c.id AND cc.status = 'available'
       RETURNING cc.id, cc.pool_id`,
      [input.limit ?? 10_000]
    )
    const byPool = new Map<string, string[]>()
    for (const r of rows) byPool.set(r.pool_id, [...(byPool.get(r.pool_id) ?? []), r.id])
    for (const [poolId, ids] of byPool) {
      await this.audit_(knex, { action: "expire", actor: { type: "system" }, pool_id: poolId, code_ids: ids })
    }
    return { expired: rows.length, by_pool: Object.fromEntries([...byPool].map(([k, v]) => [k, v.length])) }
  }

  /**
   * Checks every pool's alert thresholds: `low_stock` when sellable codes are at or below `low_stock_threshold`,
   * `near_expiry` when sellable codes expire within `expiry_warning_days`. A condition that starts to hold raises one
   * alert (a unique index allows one active alert per pool and kind, so it is raised once); one that no longer holds
   * clears it. Returns the alerts raised now, for notification.
   */
  @InjectTransactionManager()
  async evaluateStockAlerts(@MedusaContext() ctx: Context = {}): Promise<{ raised: CardAlertRaised[]; cleared: string[] }> {
    const knex = this.knex_(ctx)
    const { rows: pools } = await knex.raw(
      `SELECT p.id, p.name, p.low_stock_threshold, p.expiry_warning_days,
              (SELECT count(*) FROM card_code c WHERE c.pool_id = p.id AND c.status = 'available' AND c.deleted_at IS NULL
                  AND (c.expires_at IS NULL OR c.expires_at > now()))::int AS available,
              e.expiring, e.earliest
         FROM card_pool p
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS expiring, min(c.expires_at) AS earliest FROM card_code c
            WHERE c.pool_id = p.id AND c.status = 'available' AND c.deleted_at IS NULL AND c.expires_at > now()
              AND c.expires_at <= now() + make_interval(days => p.expiry_warning_days)) e ON p.expiry_warning_days IS NOT NULL
        WHERE p.deleted_at IS NULL
          AND (p.low_stock_threshold IS NOT NULL OR p.expiry_warning_days IS NOT NULL
               OR EXISTS (SELECT 1 FROM card_alert a WHERE a.pool_id = p.id AND a.status = 'active'))`
    )
    const raised: CardAlertRaised[] = []
    const cleared: string[] = []
    for (const p of pools) {
      const conditions: { kind: CardAlertKind; holds: boolean; details: Record<string, unknown> }[] = [
        {
          kind: "low_stock",
          holds: p.low_stock_threshold !== null && p.available <= p.low_stock_threshold,
          details: { available: p.available, threshold: p.low_stock_threshold },
        },
        {
          kind: "near_expiry",
          holds: p.expiry_warning_days !== null && (p.expiring ?? 0) > 0,
          details: {
            expiring: p.expiring ?? 0,
            within_days: p.expiry_warning_days,
            earliest: p.earliest ? new Date(p.earliest).toISOString() : null,
          },
        },
      ]
      for (const c of conditions) {
        if (c.holds) {
          const { rows } = await knex.raw(
            `INSERT INTO card_alert (id, pool_id, kind, status, details) VALUES (?, ?, ?, 'active', ?)
             ON CONFLICT (pool_id, kind) WHERE status = 'active' AND deleted_at IS NULL DO NOTHING
             RETURNING id, created_at`,
            [generateEntityId(undefined, "calert"), p.id, c.kind, JSON.stringify(c.details)]
          )
          if (rows.length) {
            raised.push({ id: rows[0].id, pool_id: p.id, pool_name: p.name, kind: c.kind, details: c.details, created_at: rows[0].created_at })
          }
        } else {
          const rows = await knex("card_alert")
            .where({ pool_id: p.id, kind: c.kind, status: "active" })
            .update({ status: "cleared", cleared_at: knex.fn.now(), updated_at: knex.fn.now() })
            .returning("id")
          cleared.push(...rows.map((r: { id: string }) => r.id))
        }
      }
    }
    return { raised, cleared }
  }

  /** Compensation of `evaluateStockAlerts`: forgets alerts raised by a run whose notification failed, to raise again. */
  @InjectTransactionManager()
  async forgetRaisedAlerts(input: { alert_ids: string[] }, @MedusaContext() ctx: Context = {}) {
    if (!input.alert_ids.length) return
    await this.knex_(ctx)("card_alert").whereIn("id", input.alert_ids).where("status", "active").delete()
  }

  /**
   * Void & reissue (作废重发): a delivered code reported not to work is voided and counted as invalid against its
   * batch, and a fresh code from the same pool is delivered to the same order line — in one transaction, so either
   * both happen or neither (no stock: nothing is voided). Audited with the reason.
   */
  @InjectTransactionManager()
  async reissueCode(
    input: { code_id: string; reason: string; actor: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<CardReissue> {
    const knex = this.knex_(ctx)
    const code = await knex("card_code").first("id", "order_id", "pool_id").where({ id: input.code_id }).whereNull("deleted_at")
    if (!code) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card code with id: ${input.code_id} was not found`)
    if (!code.order_id) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Card code ${input.code_id} was not delivered to an order: only a delivered code can be reissued`)
    }
    await this.xactLock_(knex, `card-order:${code.order_id}`)
    const [old] = await knex("card_code")
      .where({ id: input.code_id })
      .whereIn("status", sourcesOf("void"))
      .update({
        status: CardCodeTransitions.void.to,
        invalid: true,
        voided_at: knex.fn.now(),
        void_reason: input.reason.slice(0, 1000),
        updated_at: knex.fn.now(),
      })
      .returning(["id", "order_id", "line_item_id", "pool_id", "revealed_at"])
    if (!old) {
      const current = await knex("card_code").first("status").where({ id: input.code_id })
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Card code ${input.code_id} is ${current?.status}: only a delivered or revealed code can be voided and reissued`
      )
    }
    const orders = await this.allocationOrders_(knex, [old.pool_id])
    const cartKey = `reissue:${old.id}`
    await this.claim_(knex, old.pool_id, 1, cartKey, orders.get(old.pool_id) ?? "fifo")
    const [fresh] = await this.deliverReserved_(knex, old.order_id, { line_item_id: old.line_item_id, pool_id: old.pool_id }, cartKey, 1)
    if (!fresh) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Out of stock: pool ${old.pool_id} has no code to reissue; nothing was voided. Restock the pool and try again.`
      )
    }
    await this.audit_(knex, {
      action: "reissue",
      actor: input.actor,
      order_id: old.order_id,
      pool_id: old.pool_id,
      code_ids: [old.id, fresh],
      reason: input.reason,
      details: { voided_code_id: old.id, reissued_code_id: fresh, invalid: true },
    })
    return {
      order_id: old.order_id,
      pool_id: old.pool_id,
      voided_code_id: old.id,
      code_id: fresh,
      voided_was_revealed: !!old.revealed_at,
    }
  }

  /**
   * Records an admin's request to send an order's delivery notification again (action `resend`, with the order's
   * delivered codes). Refused when the order has no delivered code. The returned id keys the new notification, so
   * each request sends once.
   */
  @InjectTransactionManager()
  async recordResend(
    input: { order_id: string; actor: CardActor; reason?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ resend_id: string; code_ids: string[] }> {
    const knex = this.knex_(ctx)
    const codes = await knex("card_code")
      .select("id")
      .where({ order_id: input.order_id })
      .whereIn("status", ["delivered", "revealed"])
      .whereNull("deleted_at")
      .orderBy("id")
    if (!codes.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${input.order_id} has no delivered codes: there is no delivery notification to send again`
      )
    }
    const codeIds = codes.map((c: { id: string }) => c.id)
    const resendId = await this.audit_(knex, {
      action: "resend",
      actor: input.actor,
      order_id: input.order_id,
      code_ids: codeIds,
      reason: input.reason ?? null,
    })
    return { resend_id: resendId, code_ids: codeIds }
  }

  /** Compensation of `recordResend`: the log is append-only, so a `resend_canceled` entry says it was not sent. */
  @InjectTransactionManager()
  async cancelResend(input: { resend_id: string; order_id: string }, @MedusaContext() ctx: Context = {}) {
    await this.audit_(this.knex_(ctx), {
      action: "resend_canceled",
      actor: { type: "system" },
      order_id: input.order_id,
      details: { resend_id: input.resend_id },
    })
  }

  /** Compensation of `reissueCode`: the fresh code goes back to stock and the voided one back to its order. */
  @InjectTransactionManager()
  async undoReissue(input: CardReissue, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    await restock(knex, knex("card_code").where({ id: input.code_id, order_id: input.order_id }))
    const event = input.voided_was_revealed ? "unvoid_revealed" : "unvoid"
    await knex("card_code")
      .where({ id: input.voided_code_id, invalid: true })
      .whereIn("status", sourcesOf(event))
      .update({ status: CardCodeTransitions[event].to, invalid: false, voided_at: null, void_reason: null, updated_at: knex.fn.now() })
    await this.audit_(knex, {
      action: "reissue_reverted",
      actor: { type: "system" },
      order_id: input.order_id,
      pool_id: input.pool_id,
      code_ids: [input.voided_code_id, input.code_id],
      reason: "reissue workflow rolled back",
    })
  }

  /**
   * Codes sold in a period, grouped by day (UTC), pool, batch, order and order line: how many are sold (delivered or
   * revealed), how many of them were voided as invalid, and their cost (a code's own cost, else its batch's cost per
   * code) in the batch's currency. Invalid codes stay in the cost: they were paid for until the supplier refunds them.
   */
  @InjectManager()
  async getSalesLines(
    input: { from: Date; to: Date },
    @MedusaContext() ctx: Context = {}
  ): Promise<CardSalesLine[]> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `SELECT to_char(c.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, c.pool_id, c.batch_id, c.order_id, c.line_item_id,
              b.currency_code AS cost_currency_code,
              count(*) FILTER (WHERE c.status IN ('delivered', 'revealed'))::int AS sold,
              count(*) FILTER (WHERE c.invalid)::int AS invalid,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)), 0))::text AS cost
         FROM card_code c JOIN card_batch b ON b.id = c.batch_id
        WHERE c.delivered_at IS NOT NULL AND c.deleted_at IS NULL AND c.order_id IS NOT NULL
          AND c.delivered_at >= ? AND c.delivered_at < ?
          AND (c.status IN ('delivered', 'revealed') OR c.invalid)
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2`,
      [input.from.toISOString(), input.to.toISOString()]
    )
    return rows
  }

  /** Codes sold per pool since `since` (for the stock outlook: how fast each pool empties). */
  @InjectManager()
  async getSoldSince(poolIds: string[], since: Date, @MedusaContext() ctx: Context = {}): Promise<Record<string, number>> {
    const result: Record<string, number> = Object.fromEntries(poolIds.map((id) => [id, 0]))
    if (!poolIds.length) return result
    const { rows } = await this.knex_(ctx).raw(
      `SELECT pool_id, count(*)::int AS n FROM card_code
        WHERE pool_id = ANY(?) AND delivered_at >= ? AND delivered_at IS NOT NULL AND deleted_at IS NULL
          AND status IN ('delivered', 'revealed')
        GROUP BY pool_id`,
      [poolIds, since.toISOString()]
    )
    for (const r of rows) result[r.pool_id] = r.n
    return result
  }

  /**
   * Per batch: codes by status, how many were sold (delivered or revealed), voided as invalid (chargeback), and their
   * cost (a code's own cost when its import line gave one, else the batch's cost per code). Amounts are decimal
   * strings in the batch's currency.
   */
  @InjectManager()
  async getBatchReports(batchIds: string[], @MedusaContext() ctx: Context = {}): Promise<Record<string, CardBatchReport>> {
    const result: Record<string, CardBatchReport> = {}
    if (!batchIds.length) return result
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `SELECT b.id, b.currency_code,
              count(c.id) FILTER (WHERE c.status = 'available')::int AS available,
              count(c.id) FILTER (WHERE c.status = 'reserved')::int AS reserved,
              count(c.id) FILTER (WHERE c.status = 'delivered')::int AS delivered,
              count(c.id) FILTER (WHERE c.status = 'revealed')::int AS revealed,
              count(c.id) FILTER (WHERE c.status = 'voided')::int AS voided,
              count(c.id) FILTER (WHERE c.status = 'expired')::int AS expired,
              count(c.id) FILTER (WHERE c.invalid)::int AS invalid,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)), 0))::text AS cost_total,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)) FILTER (WHERE c.status IN ('delivered', 'revealed')), 0))::text AS cost_sold,
              trim_scale(coalesce(sum(coalesce(c.cost, b.cost_per_code)) FILTER (WHERE c.invalid), 0))::text AS cost_invalid
         FROM card_batch b LEFT JOIN card_code c ON c.batch_id = b.id AND c.deleted_at IS NULL
        WHERE b.id = ANY(?) GROUP BY b.id, b.currency_code`,
      [batchIds]
    )
    for (const r of rows) {
      result[r.id] = {
        counts: {
          available: r.available,
          reserved: r.reserved,
          delivered: r.delivered,
          revealed: r.revealed,
          voided: r.voided,
          expired: r.expired,
        },
        sold: r.delivered + r.revealed,
        invalid: r.invalid,
        currency_code: r.currency_code,
        cost_total: r.cost_total,
        cost_sold: r.cost_sold,
        cost_invalid: r.cost_invalid,
      }
    }
    return result
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Key rotation
  // ---------------------------------------------------------------------------------------------------------------

  /** Codes per key version, and which versions the keyring holds (a version with codes must not be removed). */
  @InjectManager()
  async getKeyStatus(@MedusaContext() ctx: Context = {}): Promise<{
    primary_key_version: number
    key_versions: { version: number; codes: number; in_keyring: boolean; primary: boolean }[]
  }> {
    const knex = this.knex_(ctx)
    const rows = await knex("card_code").select("key_version").count({ n: "*" }).groupBy("key_version")
    const counts = new Map<number, number>(rows.map((r: any) => [Number(r.key_version), Number(r.n)]))
    const versions = new Set<number>([...this.cipher_.keyVersions, ...counts.keys()])
    return {
      primary_key_version: this.cipher_.primaryVersion,
      key_versions: [...versions]
        .sort((a, b) => a - b)
        .map((version) => ({
          version,
          codes: counts.get(version) ?? 0,
          in_keyring: this.cipher_.keyVersions.includes(version),
          primary: version === this.cipher_.primaryVersion,
        })),
    }
  }

  /**
   * Re-encrypts every code sealed with another key under the primary key, online: `batch_size` rows per short
   * transaction, taken with `FOR UPDATE SKIP LOCKED` so checkouts, deliveries and reveals go on (a reveal waiting for
   * a row reads the new ciphertext and key version once the batch commits). Rows busy at the time are retried until
   * none is left or `max_wait_ms` passes. Old keys stay in the keyring throughout, so nothing fails to decrypt;
   * once `remaining` is 0 the retired key can be removed from the configuration. Audited.
   */
  @InjectManager()
  async rotateKeys(
    input: { batch_size?: number; max_wait_ms?: number; actor: CardActor; on_progress?: (rotated: number) => void },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ to_version: number; rotated: number; remaining: number; from_versions: number[] }> {
    const knex = this.knex_(ctx)
    const batchSize = input.batch_size ?? 1000
    if (!Number.isInteger(batchSize) || batchSize <= 0 || batchSize > 50_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `batch_size must be an integer from 1 to 50000, got ${input.batch_size}`)
    }
    const to = this.cipher_.primaryVersion
    const before = await this.getKeyStatus(ctx)
    const fromVersions = before.key_versions.filter((k) => k.version !== to && k.codes > 0).map((k) => k.version)
    const missing = fromVersions.filter((v) => !this.cipher_.keyVersions.includes(v))
    if (missing.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Codes are sealed with key version(s) ${missing.join(", ")}, which the keyring does not hold: add them back before rotating`
      )
    }
    let rotated = 0
    const deadline = Date.now() + (input.max_wait_ms ?? 60_000)
    while (true) {
      let after = ""
      // One pass in id order (keyset pagination), skipping rows that are locked right now.
      while (true) {
        const n = await knex.transaction(async (trx: Knex) => {
          const { rows } = await trx.raw(
            `SELECT id, pool_id, key_version, ciphertext FROM card_code
              WHERE key_version <> ? AND id > ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
            [to, after, batchSize]
          )
          if (!rows.length) return { count: 0, last: null as string | null }
          const ids: string[] = []
          const texts: string[] = []
          for (const r of rows) {
            const aad = codeAad(r.id, r.pool_id)
            const sealed = this.cipher_.encrypt(this.cipher_.decrypt({ key_version: r.key_version, ciphertext: r.ciphertext }, aad), aad)
            ids.push(r.id)
            texts.push(sealed.ciphertext)
          }
          await trx.raw(
            `UPDATE card_code c SET key_version = ?, ciphertext = v.ciphertext
               FROM unnest(?::text[], ?::text[]) AS v(id, ciphertext) WHERE c.id = v.id`,
            [to, ids, texts]
          )
          return { count: rows.length, last: rows[rows.length - 1].id as string }
        })
        if (!n.count) break
        rotated += n.count
        after = n.last!
        input.on_progress?.(rotated)
      }
      const [{ n }] = await knex("card_code").whereNot("key_version", to).count({ n: "*" })
      const remaining = Number(n)
      if (remaining === 0 || Date.now() > deadline) {
        await knex("card_audit_log").insert({
          id: generateEntityId(undefined, "caudit"),
          action: "key_rotation",
          actor_type: input.actor.type,
          actor_id: input.actor.id ?? null,
          ip: input.actor.ip ?? null,
          user_agent: input.actor.user_agent ?? null,
          code_count: rotated,
          details: JSON.stringify({ to_version: to, from_versions: fromVersions, rotated, remaining }),
        })
        return { to_version: to, rotated, remaining, from_versions: fromVersions }
      }
      // Rows were busy (a checkout held them): try them again shortly.
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming imports and generation
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Opens an import (or a generation run) as a batch in status `importing`. Nothing of it is sellable until
   * `importStream` commits it. A file whose hash matches a committed batch, or one still being imported, is refused;
   * a batch whose importer died (its transaction's lock is free and it has not reported progress for a while) is
   * marked failed first, so the same file can be imported again after a crash.
   */
  @InjectManager()
  async startImportBatch(input: StartImportBatchInput, @MedusaContext() ctx: Context = {}
  ): Promise<{ batch_id: string }> {
    const knex = this.knex_(ctx)
    const pool = await knex("card_pool").first("id").where({ id: input.pool_id }).whereNull("deleted_at")
    if (!pool) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${input.pool_id} was not found`)
    }
    if (input.file_hash) {
      const same = await knex("card_batch")
        .first("id", "pool_id", "status", "code_count", "created_at")
        .where({ file_hash: input.file_hash })
        .whereIn("status", ["importing", "committed"])
        .whereNull("deleted_at")
      if (same?.status === "importing" && !(await this.importRunning_(knex, same.id))) {
        // Its importer is gone (e.g. killed). Give a just-started importer the grace period to take its lock, then
        // close the batch so this file can be imported again.
        const { rows } = await knex.raw(
          `SELECT greatest(0, extract(epoch from (updated_at + make_interval(secs => ?) - now())))::float AS wait
             FROM card_batch WHERE id = ?`,
          [IMPORT_GRACE_SECONDS, same.id]
        )
        await new Promise((r) => setTimeout(r, Math.ceil((rows[0]?.wait ?? 0) * 1000) + 50))
        await this.failAbandonedImports({ batch_ids: [same.id], grace_seconds: IMPORT_GRACE_SECONDS }, ctx)
      }
      await this.refuseImportedFile_(knex, input.file_hash)
    }
    const batchId = generateEntityId(undefined, "cbatch")
    try {
      await knex("card_batch").insert({
        ...batchFields(batchId, input),
        file_name: input.file_name ? String(input.file_name).slice(0, 255) : null,
        source: input.source,
        mode: input.mode ?? "all_or_nothing",
        status: "importing",
        bytes_total: input.bytes_total ?? null,
        lines_total: input.lines_total ?? null,
        generator: input.generator ? JSON.stringify(input.generator) : null,
      })
    } catch (e: any) {
      // Another import of the same file started at the same moment: the unique index on the hash decided.
      if (e?.code === "23505" && input.file_hash) await this.refuseImportedFile_(knex, input.file_hash)
      throw e
    }
    return { batch_id: batchId }
  }

  /** Whether a batch's importer holds its transaction lock right now. */
  private async importRunning_(knex: Knex, batchId: string): Promise<boolean> {
    const { rows } = await knex.raw(
      `SELECT CASE WHEN pg_try_advisory_lock(hashtextextended(?, 0)) THEN NOT pg_advisory_unlock(hashtextextended(?, 0))
              ELSE true END AS running`,
      [importLockKey(batchId), importLockKey(batchId)]
    )
    return !!rows[0]?.running
  }

  private async refuseImportedFile_(knex: Knex, fileHash: string) {
    const same = await knex("card_batch")
      .first("id", "pool_id", "status", "code_count", "created_at")
      .where({ file_hash: fileHash })
      .whereIn("status", ["importing", "committed"])
      .whereNull("deleted_at")
    if (!same) return
    if (same.status === "committed") {
      throw new MedusaError(
        MedusaError.Types.DUPLICATE_ERROR,
        `This file was already imported: batch ${same.id} (pool ${same.pool_id}, ${same.code_count} codes, ` +
          `${new Date(same.created_at).toISOString()}). Nothing was imported.`
      )
    }
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `This file is being imported right now as batch ${same.id}; follow its progress instead of starting it again.`
    )
  }

  /**
   * Streams lines into an `importing` batch inside one transaction: validates each line, rejects duplicates inside
   * the file and against the vault, seals the codes in chunks and writes them with one `COPY`. Progress (lines
   * read, codes written, lines rejected, bytes) and the rejected lines' report are written outside the transaction
   * so they can be read while it runs and survive a rejection. At the end the batch is committed together with its
   * codes, or — in `all_or_nothing` mode with bad lines, with no valid line, or on any error — rolled back, leaving
   * nothing but the batch's final state and report. With `target_count` (generation) it stops once that many codes
   * are written, skipping any that collide.
   */
  @InjectManager()
  async importStream(
    input: {
      batch_id: string
      lines: AsyncIterable<ImportLine>
      /** Bytes consumed so far by the reader of the source, for progress. */
      bytes?: { bytes: number }
      target_count?: number
      /**
       * Opens the source again from its start. With it, an all-or-nothing import skips the per-chunk lookup of codes
       * already in the vault and lets the unique index find them; only when it does is the file read a second time,
       * to write the report.
       */
      reopen?: () => { lines: AsyncIterable<ImportLine>; close: () => Promise<void> }
      actor: CardActor
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<ImportOutcome> {
    const knex = this.knex_(ctx)
    const batch = await knex("card_batch").first("*").where({ id: input.batch_id })
    if (!batch || batch.status !== "importing") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Batch ${input.batch_id} is ${batch ? batch.status : "missing"}: only an importing batch can receive codes`
      )
    }
    const state = { lines_read: 0, code_count: 0, rejected_count: 0 }
    const progress = new ImportProgress(knex, batch.id, state, input.bytes)
    const conn = await knex.client.acquireConnection()
    let open = false
    try {
      await conn.query("BEGIN")
      open = true
      await conn.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [importLockKey(batch.id)])
      const optimistic = batch.mode === "all_or_nothing" && !!input.reopen && !input.target_count
      const work = { last: Promise.resolve() as Promise<unknown> }
      const rows = this.importRows_(knex, batch, { ...input, check_stored: !optimistic, work }, state, progress)
      try {
        await pipeline(Readable.from(rows), conn.query(copyFrom(`COPY card_code (${COPY_COLUMNS.join(", ")}) FROM STDIN`)))
      } catch (e: any) {
        if (!(optimistic && e?.code === "23505")) throw e
        // A code of the file is already in the vault: nothing is stored; read the file again for the full report
        // (once the chunks still being prepared have written their report lines, which the report pass replaces).
        await conn.query("ROLLBACK")
        open = false
        await work.last.catch(() => undefined)
        return await this.reportRejectedImport_(knex, batch, input.reopen!)
      }
      await progress.flush(true)

      const rejectAll = batch.mode === "all_or_nothing" && state.rejected_count > 0
      if (rejectAll || state.code_count === 0) {
        await conn.query("ROLLBACK")
        open = false
        const error = rejectAll
          ? `${state.rejected_count} of ${state.lines_read} lines are invalid; nothing was stored (download the report)`
          : state.lines_read === 0
            ? "The file holds no codes"
            : `None of the ${state.lines_read} lines is valid; nothing was stored (download the report)`
        await this.finishBatch_(knex, batch.id, { ...state, status: "rejected", error, code_count: 0 })
        return { batch_id: batch.id, status: "rejected", ...state, code_count: 0, error }
      }
      const { rowCount } = await conn.query(
        `UPDATE card_batch SET status = 'committed', code_count = $2, rejected_count = $3, lines_read = $4,
                lines_total = coalesce(lines_total, $4), bytes_read = coalesce(bytes_total, bytes_read), finished_at = clock_timestamp(), updated_at = clock_timestamp()
          WHERE id = $1 AND status = 'importing'`,
        [batch.id, state.code_count, state.rejected_count, state.lines_read]
      )
      if (rowCount !== 1) {
        throw new MedusaError(MedusaError.Types.CONFLICT, `Batch ${batch.id} was closed by someone else while it was importing`)
      }
      await conn.query(
        `INSERT INTO card_audit_log (id, action, actor_type, actor_id, ip, user_agent, pool_id, batch_id, code_count, details)
         VALUES ($1, 'import', $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          generateEntityId(undefined, "caudit"),
          ...auditActor(input.actor),
          batch.pool_id,
          batch.id,
          state.code_count,
          JSON.stringify({
            imported: state.code_count,
            rejected: state.rejected_count,
            lines: state.lines_read,
            source: batch.source,
            mode: batch.mode,
            supplier: batch.supplier,
          }),
        ]
      )
      await conn.query("COMMIT")
      open = false
      return { batch_id: batch.id, status: "committed", ...state, error: null }
    } catch (e: any) {
      if (open) await conn.query("ROLLBACK").catch(() => undefined)
      open = false
      const error = importFailureMessage(e)
      await this.finishBatch_(knex, batch.id, { ...state, status: "failed", error, code_count: 0 }).catch(() => undefined)
      if (e instanceof MedusaError) {
        throw new MedusaError(e.type, `Import of batch ${batch.id} failed, nothing was stored: ${e.message}`)
      }
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Import of batch ${batch.id} failed, nothing was stored: ${error}`)
    } finally {
      await knex.client.releaseConnection(conn)
    }
  }

  /**
   * The report of an all-or-nothing import that met a code already in the vault: every line is checked again (with
   * the lookup this time) and every rejected line recorded; the batch ends `rejected`, nothing stored.
   */
  private async reportRejectedImport_(
    knex: Knex,
    batch: any,
    reopen: () => { lines: AsyncIterable<ImportLine>; close: () => Promise<void> }
  ): Promise<ImportOutcome> {
    await knex("card_import_error").where({ batch_id: batch.id }).delete()
    const state = { lines_read: 0, code_count: 0, rejected_count: 0 }
    const source = reopen()
    try {
      const progress = new ImportProgress(knex, batch.id, state)
      for await (const _text of this.importRows_(knex, batch, { lines: source.lines, check_stored: true }, state, progress)) {
        // A dry run: only the report is kept.
      }
      await progress.flush(true)
    } finally {
      await source.close()
    }
    if (!state.rejected_count) {
      const error = "a code of this file was being stored by another import at the same time; nothing was stored, run it again"
      await this.finishBatch_(knex, batch.id, { ...state, status: "failed", error, code_count: 0 })
      throw new MedusaError(MedusaError.Types.CONFLICT, error)
    }
    const error = `${state.rejected_count} of ${state.lines_read} lines are invalid; nothing was stored (download the report)`
    await this.finishBatch_(knex, batch.id, { ...state, status: "rejected", error, code_count: 0 })
    return { batch_id: batch.id, status: "rejected", ...state, code_count: 0, error }
  }

  /** Produces COPY text for the accepted lines of a batch, chunk by chunk, recording rejected lines. */
  private async *importRows_(
    knex: Knex,
    batch: any,
    input: {
      lines: AsyncIterable<ImportLine>
      target_count?: number
      check_stored: boolean
      /** Set to the last chunk's work, so a caller can wait for chunks still in flight after a failure. */
      work?: { last: Promise<unknown> }
    },
    state: { lines_read: number; code_count: number; rejected_count: number },
    progress: ImportProgress
  ): AsyncGenerator<string> {
    const now = new Date()
    const batchExpiry: Date | null = batch.expires_at ? new Date(batch.expires_at) : null
    // First line of every code seen in this file.
    const seen = new FingerprintSet()
    const target = input.target_count ?? Infinity
    let chunk: ImportEntry[] = []
    let errors: ImportEntryError[] = []
    // Chunks are finished strictly in file order, each after the one before it.
    let previous: Promise<unknown> = Promise.resolve()

    /**
     * Seals a chunk and rejects in-file duplicates at once; looks up which codes the vault already holds (a query that
     * runs while the previous chunk is being copied); then, in order, writes the chunk's report lines and returns its
     * COPY text.
     */
    const submit = (): Promise<string> => {
      const sealed = this.sealCodes(batch.pool_id, chunk)
      chunk = []
      const rejected = errors
      errors = []
      const fresh: SealedCardCode[] = []
      for (const code of sealed) {
        const first = seen.add(code.blind_index, code.line)
        if (first) rejected.push({ line: code.line, field: "code", message: `duplicates line ${first}` })
        else fresh.push(code)
      }
      // Codes committed by earlier imports (unless the unique index is left to find them, see `reopen`). A concurrent
      // import committing the same code makes the COPY fail on the unique index, and this import then stores nothing.
      const lookup = input.check_stored
        ? this.findExistingBlindIndexes(fresh.map((f) => f.blind_index))
        : Promise.resolve(new Set<string>())
      lookup.catch(() => undefined) // awaited below, in order; this only keeps an early failure from going unhandled
      const finished = previous.then(async () => {
        const stored = await lookup
        let text = ""
        for (const code of fresh) {
          if (stored.has(code.blind_index)) {
            rejected.push({ line: code.line, field: "code", message: "is already in the vault" })
            continue
          }
          if (state.code_count >= target) break
          text += copyRow(batch, code, batchExpiry)
          state.code_count++
        }
        state.rejected_count += rejected.length
        if (rejected.length) await insertImportErrors(knex, batch.id, rejected)
        await progress.flush(false)
        return text
      })
      // Awaited in order by the caller; this keeps a chunk that fails while an earlier one is awaited from counting
      // as unhandled.
      finished.catch(() => undefined)
      previous = finished
      if (input.work) input.work.last = finished
      return finished
    }

    // One chunk is prepared while the one before it is copied. Generation (a target count) goes one chunk at a time,
    // so that it generates no more codes than it needs.
    const lookahead = !input.target_count
    let pending: Promise<string> | null = null
    for await (const item of input.lines) {
      state.lines_read++
      if (item.error) {
        errors.push(item.error)
      } else {
        const result = validateImportEntry(item.entry, item.line, now)
        if (result.errors) errors.push(...result.errors)
        else chunk.push(result.entry)
      }
      if (chunk.length + errors.length >= Math.min(IMPORT_CHUNK, target - state.code_count)) {
        const next = submit()
        if (pending) {
          const text = await pending
          if (text) yield text
        }
        pending = next
        if (!lookahead) {
          const text = await pending
          pending = null
          if (text) yield text
          if (state.code_count >= target) break
        }
      }
    }
    const last = submit()
    for (const p of [pending, last]) {
      const text = p ? await p : ""
      if (text) yield text
    }
  }

  private async finishBatch_(
    knex: Knex,
    batchId: string,
    result: { status: "rejected" | "failed"; lines_read: number; code_count: number; rejected_count: number; error: string }
  ) {
    await knex("card_batch")
      .where({ id: batchId, status: "importing" })
      .update({
        status: result.status,
        lines_read: result.lines_read,
        code_count: result.code_count,
        rejected_count: result.rejected_count,
        error: result.error.slice(0, 2000),
        finished_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
  }

  /**
   * Marks `importing` batches whose importer is gone as failed: its transaction lock is free (the process or its
   * connection died, and PostgreSQL rolled its codes back) and it has not reported progress for `grace_seconds`.
   * Returns the batches it closed.
   */
  @InjectTransactionManager()
  async failAbandonedImports(
    input: { batch_ids?: string[]; grace_seconds?: number } = {},
    @MedusaContext() ctx: Context = {}
  ): Promise<string[]> {
    const knex = this.knex_(ctx)
    const q = knex("card_batch")
      .where("status", "importing")
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [input.grace_seconds ?? IMPORT_GRACE_SECONDS]))
      .whereRaw(`pg_try_advisory_xact_lock(hashtextextended('${importLockKey("")}' || id, 0))`)
      .update({
        status: "failed",
        error: "The import stopped before it finished (process or connection lost); nothing was stored. Run it again.",
        code_count: 0,
        finished_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
      .returning("id")
    if (input.batch_ids) q.whereIn("id", input.batch_ids)
    return (await q).map((r: { id: string }) => r.id)
  }

  /** Marks an importing batch failed (its import could not start or was rolled back). */
  @InjectManager()
  async closeImportBatch(input: { batch_id: string; error: string }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await knex("card_batch")
      .where({ id: input.batch_id, status: "importing" })
      .update({ status: "failed", error: input.error.slice(0, 2000), finished_at: knex.fn.now(), updated_at: knex.fn.now() })
  }

  /** Rejected lines of a batch, by line. */
  @InjectManager()
  async listImportErrors(
    input: { batch_id: string; limit?: number; offset?: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ errors: ImportEntryError[]; count: number }> {
    const knex = this.knex_(ctx)
    const q = knex("card_import_error").where({ batch_id: input.batch_id }).whereNull("deleted_at")
    const [{ n }] = await q.clone().count({ n: "*" })
    const rows = await q
      .select("line", "field", "message")
      .orderBy([{ column: "line" }, { column: "id" }])
      .limit(input.limit ?? 100_000)
      .offset(input.offset ?? 0)
    return { errors: rows, count: Number(n) }
  }
}

/**
 * A guest link's or a receipt's row by the hash of its secret, if it is live (not deleted, not expired, uses left);
 * with `consume`, one use is spent in the same conditional statement that checks all that.
 */
async function spendLimitedUse(
  knex: Knex,
  input: { table: "card_reveal_link" | "card_receipt"; hash_column: string; hash: string; owner_column: string; consume: boolean }
): Promise<{ id: string; owner: string; use_count: number; max_uses: number; expires_at: string | Date } | undefined> {
  const base = knex(input.table)
    .where(input.hash_column, input.hash)
    .whereNull("deleted_at")
    .where("expires_at", ">", knex.fn.now())
    .whereRaw("use_count < max_uses")
  const columns = ["id", `${input.owner_column} as owner`, "use_count", "max_uses", "expires_at"]
  return input.consume
    ? (await base.update({ use_count: knex.raw("use_count + 1"), last_used_at: knex.fn.now(), updated_at: knex.fn.now() }).returning(columns))[0]
    : await base.first(...columns)
}

function hashToken(token: string): string {
  return createHash("sha256").update(`card-reveal-link:${token}`).digest("hex")
}

const IMPORT_CHUNK = 2000
/** An importing batch that has not reported progress for this long, and whose lock is free, is abandoned. */
const IMPORT_GRACE_SECONDS = 5
const COPY_COLUMNS = [
  "id",
  "pool_id",
  "batch_id",
  "status",
  "key_version",
  "ciphertext",
  "blind_index",
  "mask",
  "has_password",
  "expires_at",
  "cost",
  "raw_cost",
]

/** What every kind of batch records about where its codes come from. */
export type CardBatchInput = {
  pool_id: string
  supplier?: string | null
  cost_per_code?: number | string | null
  currency_code?: string | null
  expires_at?: Date | string | null
  file_hash?: string | null
  actor: CardActor
}

export type StartImportBatchInput = {
  pool_id: string
  source: "import" | "generated"
  /** all_or_nothing (default): any bad line rejects the file · skip_invalid: import the valid lines. */
  mode?: "all_or_nothing" | "skip_invalid"
  file_name?: string | null
  /** SHA-256 of the file: the same file is not imported twice. */
  file_hash?: string | null
  bytes_total?: number | null
  lines_total?: number | null
  supplier?: string | null
  cost_per_code?: number | string | null
  currency_code?: string | null
  expires_at?: Date | string | null
  /** Generated batches: the format (prefix, length, grouping), never codes. */
  generator?: Record<string, unknown> | null
  actor: CardActor
}

export type CardAlertKind = "low_stock" | "near_expiry"

export type CardAlertRaised = {
  id: string
  pool_id: string
  pool_name: string
  kind: CardAlertKind
  details: Record<string, unknown>
  created_at: Date
}

export type CardReissue = {
  order_id: string
  pool_id: string
  voided_code_id: string
  /** The fresh code delivered in its place. */
  code_id: string
  voided_was_revealed: boolean
}

/** One group of sold codes (see `getSalesLines`). Amounts are decimal strings. */
export type CardSalesLine = {
  day: string
  pool_id: string
  batch_id: string
  order_id: string
  line_item_id: string | null
  cost_currency_code: string | null
  sold: number
  invalid: number
  cost: string
}

export type CardBatchReport = {
  counts: Record<CardCodeStatusValue, number>
  /** Delivered or revealed: with customers now. */
  sold: number
  /** Voided as invalid (void & reissue): the supplier chargeback. */
  invalid: number
  currency_code: string | null
  cost_total: string
  cost_sold: string
  cost_invalid: string
}

export type ImportOutcome = {
  batch_id: string
  status: "committed" | "rejected"
  lines_read: number
  code_count: number
  rejected_count: number
  error: string | null
}

export const importLockKey = (batchId: string) => `card-import:${batchId}`

/** SQLSTATE that `card_vault_reserve` raises when a pool cannot cover its quantity (the whole call is rolled back). */
export const OUT_OF_STOCK_SQLSTATE = "CV001"

/**
 * The call of the database function `card_vault_reserve` for a cart, as a named statement (PostgreSQL parses it once
 * per connection; the function caches the plans of its own statements). Parameters: cart, pool ids, quantities, one
 * audit row id per pool, and the actor (type, id, ip, user agent). Returns one row whose `ids` are the codes reserved
 * by this call (none for pools the cart already held in full).
 */
export function reservationCall(
  cartId: string,
  wanted: Map<string, number>,
  actor: CardActor
): { name: string; text: string; values: unknown[] } {
  const pools = [...wanted.keys()]
  return {
    name: "card_vault_reserve",
    text: "SELECT card_vault_reserve($1, $2, $3, $4, $5, $6, $7, $8) AS ids",
    values: [
      cartId,
      pools,
      pools.map((p) => wanted.get(p)),
      pools.map(() => bulkEntityId("caudit")),
      actor.type,
      actor.id ?? null,
      actor.ip ?? null,
      actor.user_agent ? String(actor.user_agent).slice(0, 512) : null,
    ],
  }
}

/**
 * The claim statement (parameters: pool id, limit, cart key): available → reserved, never blocking on rows others
 * hold, in the pool's allocation order. Each ORDER BY matches a partial index on available codes
 * (IDX_card_code_claimable_fifo / IDX_card_code_claimable), so a claim reads only available rows however much of the
 * pool is already sold — a test keeps the plan on those indexes.
 */
export function claimStatement(order: AllocationOrder): string {
  const from = sourcesOf("reserve")
  const orderBy = order === "expiry_first" ? "expires_at, id" : "created_at, id"
  return `WITH c AS (
         SELECT id FROM card_code
          WHERE pool_id = ? AND status IN (${IN(from)}) AND deleted_at IS NULL
            AND (expires_at IS NULL OR expires_at > now())
          ORDER BY ${orderBy}
          LIMIT ? FOR UPDATE SKIP LOCKED),
       u AS (
         UPDATE card_code cc
            SET status = '${CardCodeTransitions.reserve.to}', cart_id = ?, reserved_at = now(), updated_at = now()
           FROM c WHERE cc.id = c.id AND cc.status IN (${IN(from)})
         RETURNING cc.id)
       SELECT id FROM u`
}

/** The columns every kind of batch sets from its input: supplier, cost, currency, expiry, file hash, creator. */
function batchFields(id: string, input: CardBatchInput) {
  const cost = input.cost_per_code ?? null
  return {
    id,
    pool_id: input.pool_id,
    supplier: input.supplier ?? null,
    cost_per_code: cost === null ? null : Number(cost),
    raw_cost_per_code: cost === null ? null : JSON.stringify({ value: String(cost), precision: 20 }),
    currency_code: input.currency_code ? input.currency_code.toLowerCase() : null,
    expires_at: input.expires_at ? new Date(input.expires_at) : null,
    file_hash: input.file_hash ?? null,
    created_by: input.actor.id ?? null,
  }
}

/** Delivered codes the query selects go back to stock, owned by nobody (the `restock` transition). */
function restock(knex: Knex, query: Knex): Promise<{ id: string }[]> {
  return query
    .whereIn("status", sourcesOf("restock"))
    .update({
      status: CardCodeTransitions.restock.to,
      order_id: null,
      line_item_id: null,
      cart_id: null,
      reserved_at: null,
      delivered_at: null,
      updated_at: knex.fn.now(),
    })
    .returning("id")
}

/** COPY text format: backslash, tab and line breaks escaped; `\N` for NULL. */
function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "\\N"
  if (typeof value === "boolean") return value ? "t" : "f"
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
}

function copyRow(batch: { id: string; pool_id: string }, code: SealedCardCode, batchExpiry: Date | null): string {
  const expires = code.expires_at ?? batchExpiry
  const cost = code.cost ?? null
  return (
    [
      code.id,
      batch.pool_id,
      batch.id,
      CardCodeTransitions.release.to,
      code.key_version,
      code.ciphertext,
      code.blind_index,
      copyValue(code.mask),
      copyValue(code.has_password),
      expires ? expires.toISOString() : "\\N",
      copyValue(cost),
      cost === null ? "\\N" : JSON.stringify({ value: cost, precision: 20 }),
    ].join("\t") + "\n"
  )
}

async function insertImportErrors(knex: Knex, batchId: string, errors: ImportEntryError[]) {
  for (let i = 0; i < errors.length; i += INSERT_CHUNK) {
    await knex("card_import_error").insert(
      errors.slice(i, i + INSERT_CHUNK).map((e) => ({
        id: generateEntityId(undefined, "cimperr"),
        batch_id: batchId,
        line: e.line,
        field: e.field,
        message: e.message.slice(0, 500),
      }))
    )
  }
}

/** What a failed import records: our own messages, or the database's error without its detail (which can quote row data). */
function importFailureMessage(e: any): string {
  if (e instanceof MedusaError) return e.message
  if (e?.code === "23505") {
    return "a code of this file was stored by another import while this one ran; run it again to see which lines"
  }
  if (e?.code) return `database error ${e.code}`
  return String(e?.message ?? e).slice(0, 500)
}

/** Writes an importing batch's progress outside its transaction, at most every 250 ms. Also its heartbeat. */
class ImportProgress {
  private last = 0
  constructor(
    private readonly knex: Knex,
    private readonly batchId: string,
    private readonly state: { lines_read: number; code_count: number; rejected_count: number },
    private readonly bytes?: { bytes: number }
  ) {}

  async flush(force: boolean) {
    const now = Date.now()
    if (!force && now - this.last < 250) return
    this.last = now
    await this.knex("card_batch")
      .where({ id: this.batchId, status: "importing" })
      .update({
        lines_read: this.state.lines_read,
        code_count: this.state.code_count,
        rejected_count: this.state.rejected_count,
        ...(this.bytes ? { bytes_read: this.bytes.bytes } : {}),
        updated_at: this.knex.fn.now(),
      })
  }
}

export default CardVaultModuleService
