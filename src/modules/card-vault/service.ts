import { createHash, randomBytes } from "crypto"
import { Context, DAL } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import { CardAuditLog, CardBatch, CardCode, CardDelivery, CardPool, CardRevealLink } from "./models"
import { CodeCipher, codeAad, maskCode } from "./utils/crypto"
import { ImportEntry } from "./utils/import-entries"
import { CardVaultModuleOptions, resolveCardVaultOptions, ResolvedCardVaultOptions } from "./utils/options"
import { CARD_CODE_STATUSES, CardCodeStatusValue, CardCodeTransitions, sourcesOf } from "./utils/state-machine"

/** Who did something, as the audit log records it. */
export type CardActor = {
  type: "user" | "customer" | "guest_link" | "system"
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
  "created_at",
] as const

type Knex = any

const IN = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ")
const INSERT_CHUNK = 1000

class CardVaultModuleService extends MedusaService({
  CardPool,
  CardBatch,
  CardCode,
  CardAuditLog,
  CardRevealLink,
  CardDelivery,
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
  }

  getOptions(): Omit<ResolvedCardVaultOptions, "keyring"> {
    const { keyring: _keyring, ...rest } = this.options_
    return rest
  }

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
      reason?: string | null
      details?: Record<string, unknown>
    }
  ) {
    await knex("card_audit_log").insert({
      id: generateEntityId(undefined, "caudit"),
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
      code_count: entry.code_ids?.length ?? 0,
      reason: entry.reason ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
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
      const id = generateEntityId(undefined, "ccode")
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
    for (let i = 0; i < blindIndexes.length; i += INSERT_CHUNK) {
      const rows = await knex("card_code")
        .select("blind_index")
        .whereIn("blind_index", blindIndexes.slice(i, i + INSERT_CHUNK))
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
    input: {
      pool_id: string
      codes: SealedCardCode[]
      supplier?: string | null
      cost_per_code?: number | string | null
      currency_code?: string | null
      expires_at?: Date | string | null
      file_hash?: string | null
      actor: CardActor
    },
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
    const cost = input.cost_per_code ?? null
    await knex("card_batch").insert({
      id: batchId,
      pool_id: input.pool_id,
      supplier: input.supplier ?? null,
      cost_per_code: cost === null ? null : Number(cost),
      raw_cost_per_code: cost === null ? null : JSON.stringify({ value: String(cost), precision: 20 }),
      currency_code: input.currency_code ? input.currency_code.toLowerCase() : null,
      expires_at: batchExpiry,
      file_hash: input.file_hash ?? null,
      source: "import",
      status: "committed",
      code_count: input.codes.length,
      rejected_count: 0,
      created_by: input.actor.id ?? null,
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
      details: { imported: input.codes.length, supplier: input.supplier ?? null },
    })
    return { batch_id: batchId, imported: input.codes.length }
  }

  /**
   * Reserves codes for a cart, one conditional statement per pool (`FOR UPDATE SKIP LOCKED`). Re-entrant per
   * cart: codes the cart already holds count towards the quantity. Either every pool covers its quantity or
   * nothing is reserved and an out-of-stock error names the pools.
   */
  @InjectTransactionManager()
  async reserveForCart(
    input: { cart_id: string; items: { pool_id: string; quantity: number }[]; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ reserved_code_ids: string[] }> {
    const knex = this.knex_(ctx)
    const wanted = new Map<string, number>()
    for (const item of input.items) {
      if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Quantity for pool ${item.pool_id} must be a positive integer`)
      }
      wanted.set(item.pool_id, (wanted.get(item.pool_id) ?? 0) + item.quantity)
    }
    await this.xactLock_(knex, `card-cart:${input.cart_id}`)
    const reserved: string[] = []
    const shortages: string[] = []
    for (const [poolId, quantity] of wanted) {
      const held = await this.countHeldByCart_(knex, input.cart_id, poolId)
      const need = quantity - held
      if (need <= 0) continue
      const ids = await this.claim_(knex, poolId, need, input.cart_id)
      reserved.push(...ids)
      if (ids.length < need) shortages.push(`${poolId} (requested ${quantity}, available ${held + ids.length})`)
    }
    if (shortages.length) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Out of stock: ${shortages.join("; ")}`)
    }
    if (reserved.length) {
      await this.audit_(knex, {
        action: "reserve",
        actor: input.actor ?? { type: "system" },
        cart_id: input.cart_id,
        code_ids: reserved,
        details: { pools: Object.fromEntries(wanted) },
      })
    }
    return { reserved_code_ids: reserved }
  }

  private async countHeldByCart_(knex: Knex, cartId: string, poolId: string): Promise<number> {
    const row = await knex("card_code")
      .count({ n: "*" })
      .where({ cart_id: cartId, pool_id: poolId })
      .whereIn("status", ["reserved", "delivered", "revealed"])
      .whereNull("deleted_at")
      .first()
    return Number(row?.n ?? 0)
  }

  /** The single claim statement: available → reserved for `cartId`, never blocking on rows others hold. */
  private async claim_(knex: Knex, poolId: string, limit: number, cartId: string): Promise<string[]> {
    if (!Number.isInteger(limit) || limit <= 0) return []
    const from = sourcesOf("reserve")
    const { rows } = await knex.raw(
      `WITH c AS (
         SELECT id FROM card_code
          WHERE pool_id = ? AND status IN (${IN(from)}) AND deleted_at IS NULL
            AND (expires_at IS NULL OR expires_at > now())
          ORDER BY expires_at, id
          LIMIT ? FOR UPDATE SKIP LOCKED)
       UPDATE card_code cc
          SET status = '${CardCodeTransitions.reserve.to}', cart_id = ?, reserved_at = now(), updated_at = now()
         FROM c WHERE cc.id = c.id AND cc.status IN (${IN(from)})
       RETURNING cc.id`,
      [poolId, limit, cartId]
    )
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
        await this.claim_(knex, line.pool_id, need, cartKey)
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
      await knex("card_code")
        .where({ order_id: input.order_id })
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

  /** Creates a guest reveal link for an order. Only a hash of the token is stored. */
  @InjectTransactionManager()
  async createRevealLink(
    input: { order_id: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; token: string; expires_at: Date; max_uses: number }> {
    const knex = this.knex_(ctx)
    const token = randomBytes(32).toString("base64url")
    const id = generateEntityId(undefined, "crlink")
    const expiresAt = new Date(Date.now() + this.options_.guest_link_ttl_hours * 3600_000)
    await knex("card_reveal_link").insert({
      id,
      order_id: input.order_id,
      token_hash: hashToken(token),
      expires_at: expiresAt,
      max_uses: this.options_.guest_link_max_uses,
      use_count: 0,
    })
    return { id, token, expires_at: expiresAt, max_uses: this.options_.guest_link_max_uses }
  }

  revealUrlFor(token: string): string {
    return this.options_.reveal_url.replace("{token}", encodeURIComponent(token))
  }

  /**
   * Resolves a guest link to its order. `consume` spends one use in the same conditional statement that checks
   * expiry and the use limit. Unknown, expired and used-up links all give the same NOT_FOUND.
   */
  @InjectTransactionManager()
  async resolveRevealLink(
    input: { token: string; consume: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ link_id: string; order_id: string; uses_left: number }> {
    const knex = this.knex_(ctx)
    const hash = hashToken(String(input.token ?? ""))
    const base = knex("card_reveal_link")
      .where("token_hash", hash)
      .whereNull("deleted_at")
      .where("expires_at", ">", knex.fn.now())
      .whereRaw("use_count < max_uses")
    const row = input.consume
      ? (
          await base
            .update({ use_count: knex.raw("use_count + 1"), last_used_at: knex.fn.now(), updated_at: knex.fn.now() })
            .returning(["id", "order_id", "use_count", "max_uses"])
        )[0]
      : await base.first("id", "order_id", "use_count", "max_uses")
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, "Reveal link is invalid or has expired")
    }
    return { link_id: row.id, order_id: row.order_id, uses_left: row.max_uses - row.use_count }
  }
}

function hashToken(token: string): string {
  return createHash("sha256").update(`card-reveal-link:${token}`).digest("hex")
}

export default CardVaultModuleService
