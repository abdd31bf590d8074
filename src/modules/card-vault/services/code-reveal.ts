import { createHash } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { codeAad } from "../utils/crypto"
import { revealLinkToken, revealLinkUrl, type RevealLinkData } from "../utils/reveal-link"
import { CardCodeTransitions, sourcesOf } from "../utils/state-machine"
import { auditActor, VaultSqlService, type VaultServiceDeps, IN, type Knex } from "../utils/sql"
import { assertNotFrozen } from "../utils/freeze"
import type { CardActor, RevealedCardCode } from "../types"

/**
 * Reveal and links: the audited decryption of delivered codes, guest reveal links (the token is derived, only its hash
 * is stored) and order receipts.
 */
export default class CodeRevealService extends VaultSqlService {
  /** The key guest links' tokens are derived with (see utils/reveal-link): held in memory only. */
  protected readonly linkKey_: Buffer

  constructor(container: VaultServiceDeps) {
    super(container)
    this.linkKey_ = container.cardVaultLinkKey
  }

  /**
   * Returns plaintext for codes that were delivered, records the reveal (who, when, IP, user agent, reason) and
   * moves them to `revealed`, all in one transaction. When `order_id` is given, codes of other orders are
   * "not found", exactly like missing ones. While the order (the given one, else the codes' orders) has codes frozen by
   * a payment dispute, it refuses with NOT_ALLOWED ("These codes are frozen while a payment dispute is open.") and
   * reveals and records nothing.
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
      .whereNull("frozen_at")
      .update({
        status: CardCodeTransitions.reveal.to,
        revealed_at: knex.raw("coalesce(revealed_at, now())"),
        reveal_count: knex.raw("reveal_count + 1"),
        updated_at: knex.fn.now(),
      })
      .returning(["id", "pool_id", "order_id", "key_version", "ciphertext", "mask"])
    if (input.code_ids?.length) q.whereIn("id", input.code_ids)
    if (input.order_id) q.where("order_id", input.order_id)
    const rows: { id: string; pool_id: string; order_id: string | null; key_version: number; ciphertext: string; mask: string }[] = await q
    // After the change, in its transaction: a freeze that committed meanwhile is seen, and the throw undoes the change.
    await assertNotFrozen(knex, input.order_id ? { order_ids: [input.order_id] } : { code_ids: input.code_ids })
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
   * bookkeeping) and audits it — one statement changes the statuses and writes the audit row, in one transaction with
   * the freeze check below, so they commit together or not at all. Codes not
   * delivered (held for review, reserved) are not touched. Returns the codes with their pool, by id; none is `[]`.
   * While any of the owners has codes frozen by a payment dispute, it refuses with NOT_ALLOWED and reveals nothing.
   */
  @InjectTransactionManager()
  async revealOwnerCodes(
    input: { owner_ids: string[]; actor: CardActor; reason?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<(RevealedCardCode & { pool_id: string; order_id: string })[]> {
    const owners = input.owner_ids.filter(Boolean)
    if (!owners.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, "Reveal needs at least one owner id")
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `WITH r AS (
         UPDATE card_code SET status = '${CardCodeTransitions.reveal.to}', revealed_at = coalesce(revealed_at, now()),
                reveal_count = reveal_count + 1, updated_at = now()
          WHERE order_id IN (${owners.map(() => "?").join(", ")}) AND status IN (${IN(sourcesOf("reveal"))}) AND deleted_at IS NULL
            AND frozen_at IS NULL
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
    await assertNotFrozen(knex, { order_ids: owners })
    return (rows as { id: string; pool_id: string; order_id: string; key_version: number; ciphertext: string; mask: string }[]).map((r) => {
      const secret = this.cipher_.decrypt({ key_version: r.key_version, ciphertext: r.ciphertext }, codeAad(r.id, r.pool_id))
      return { id: r.id, pool_id: r.pool_id, order_id: r.order_id, mask: r.mask, code: secret.code, password: secret.password ?? null }
    })
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
   * expiry and the use limit. Unknown, expired and used-up links all give the same NOT_FOUND. A use is not spent on
   * an order whose codes are frozen by a payment dispute: `consume` refuses it with NOT_ALLOWED (the reveal would).
   */
  @InjectTransactionManager()
  async resolveRevealLink(
    input: { token: string; consume: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ link_id: string; order_id: string; uses_left: number; expires_at: Date }> {
    const knex = this.knex_(ctx)
    const row = await spendLimitedUse(knex, {
      table: "card_reveal_link",
      hash_column: "token_hash",
      hash: hashToken(String(input.token ?? "")),
      owner_column: "order_id",
      consume: input.consume,
    })
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, "Reveal link is invalid or has expired")
    }
    if (input.consume) await assertNotFrozen(knex, { order_ids: [row.owner] })
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
   * statement that checks expiry and the use limit. Unknown, expired and used-up receipts give the same NOT_FOUND. A use
   * is not spent when the cart's codes are frozen by a payment dispute: `consume` refuses it with NOT_ALLOWED.
   */
  @InjectTransactionManager()
  async resolveReceipt(
    input: { secret: string; consume: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ receipt_id: string; cart_id: string; uses_left: number; expires_at: Date }> {
    const knex = this.knex_(ctx)
    const row = await spendLimitedUse(knex, {
      table: "card_receipt",
      hash_column: "secret_hash",
      hash: this.receiptSecretHash(String(input.secret ?? "")),
      owner_column: "cart_id",
      consume: input.consume,
    })
    if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, "Receipt is invalid or has expired")
    if (input.consume) await assertNotFrozen(knex, { cart_id: row.owner })
    return { receipt_id: row.id, cart_id: row.owner, uses_left: row.max_uses - row.use_count, expires_at: new Date(row.expires_at) }
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

