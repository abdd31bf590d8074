import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MathBN, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { CardCodeTransitions, sourcesOf } from "../utils/state-machine"
import { sqlStateOf, VaultSqlService, IN, type Knex } from "../utils/sql"
import { restock } from "../utils/restock"
import type { CardActor } from "../types"

/** One component of a bundle as it is composed: a pool, codes of it per bundle, its share of the price (basis points). */
export type BundleComponentInput = { pool_id: string; quantity: number; share?: number }
export type BundleComponent = { pool_id: string; quantity: number; share: number }
export type ComposedBundle = { id: string; name: string; components: BundleComponent[] }

/** All of a bundle's price, in basis points: the shares of its components add up to this. */
export const FULL_SHARE = 10_000

/**
 * Bundles (组合商品): composing them (pools, quantities per bundle, shares of the price), what whole bundles the pools
 * can still make, and refunding a single component of a sold bundle line — its codes taken back (unrevealed ones to
 * stock, revealed ones voided) and a claim, once per line and pool, on its share of the money. The codes of a bundle
 * stay in their pools: checkout reserves them with the one all-or-nothing reservation, delivery binds them to the
 * bundle's line.
 */
export default class BundleComponentsService extends VaultSqlService {
  /**
   * Creates a bundle or replaces an existing one's name and components. Components name distinct existing pools, each
   * with a positive whole quantity; their shares are all given (whole basis points adding up to 10,000) or none (then
   * split by quantity, the rounding left to the first). Bad input is an INVALID_DATA naming `components[i].<field>`.
   */
  @InjectTransactionManager()
  async composeBundle(
    input: { bundle_id?: string | null; name: string; components: BundleComponentInput[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ bundle: ComposedBundle; previous: ComposedBundle | null }> {
    const components = normalizeComponents(input.components)
    const name = input.name?.trim()
    if (!name) throw new MedusaError(MedusaError.Types.INVALID_DATA, "name: a bundle needs a name")
    const knex = this.knex_(ctx)
    const pools: { id: string }[] = await knex("card_pool").select("id").whereIn("id", components.map((c) => c.pool_id)).whereNull("deleted_at")
    const known = new Set(pools.map((p) => p.id))
    components.forEach((c, i) => {
      if (!known.has(c.pool_id)) throw new MedusaError(MedusaError.Types.INVALID_DATA, `components[${i}].pool_id: card pool ${c.pool_id} was not found`)
    })
    let previous: ComposedBundle | null = null
    let id = input.bundle_id ?? null
    if (id) {
      await this.xactLock_(knex, `card-bundle:${id}`)
      const [found] = await this.read_(knex, [id])
      if (!found) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card bundle with id: ${id} was not found`)
      previous = found
      await knex("card_bundle").where({ id }).update({ name, updated_at: knex.fn.now() })
      await knex("card_bundle_component").where({ bundle_id: id }).delete()
    } else {
      id = generateEntityId(undefined, "cbndl")
      await knex("card_bundle").insert({ id, name })
    }
    await knex("card_bundle_component").insert(
      components.map((c, rank) => ({ id: generateEntityId(undefined, "cbcomp"), bundle_id: id, pool_id: c.pool_id, quantity: c.quantity, share: c.share, rank }))
    )
    const [bundle] = await this.read_(knex, [id])
    return { bundle, previous }
  }

  /** Compensation of `composeBundle`: a new bundle is deleted, a replaced one gets its name and components back. */
  @InjectTransactionManager()
  async restoreBundle(input: { bundle_id: string; previous: ComposedBundle | null }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    if (!input.previous) {
      await knex("card_bundle").where({ id: input.bundle_id }).delete()
      return
    }
    await knex("card_bundle").where({ id: input.bundle_id }).update({ name: input.previous.name, updated_at: knex.fn.now() })
    await knex("card_bundle_component").where({ bundle_id: input.bundle_id }).delete()
    await knex("card_bundle_component").insert(
      input.previous.components.map((c, rank) => ({ id: generateEntityId(undefined, "cbcomp"), bundle_id: input.bundle_id, ...c, rank }))
    )
  }

  /** Bundles with their components (in the order they were composed), by id; unknown ids are left out. */
  @InjectManager()
  async getBundles(ids: string[], @MedusaContext() ctx: Context = {}): Promise<ComposedBundle[]> {
    return this.read_(this.knex_(ctx), ids)
  }

  /**
   * How many whole bundles the pools can still make: per bundle, the least over its components of available (unexpired)
   * codes divided by the component's quantity, rounded down. One statement; every bundle asked for is answered.
   */
  @InjectManager()
  async getBundleStock(ids: string[], @MedusaContext() ctx: Context = {}): Promise<Record<string, number>> {
    const result: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]))
    if (!ids.length) return result
    const { rows } = await this.knex_(ctx).raw(
      `SELECT b.bundle_id, min(coalesce(s.n, 0) / b.quantity) AS whole
         FROM card_bundle_component b
         LEFT JOIN LATERAL (
           SELECT count(*) AS n FROM card_code c
            WHERE c.pool_id = b.pool_id AND c.status IN (${IN(sourcesOf("reserve"))}) AND c.deleted_at IS NULL
              AND (c.expires_at IS NULL OR c.expires_at > now())) s ON true
        WHERE b.bundle_id = ANY(?) AND b.deleted_at IS NULL
        GROUP BY b.bundle_id`,
      [ids]
    )
    for (const r of rows as { bundle_id: string; whole: string }[]) result[r.bundle_id] = Number(r.whole)
    return result
  }

  /**
   * Claims the refund of one component of a bundle line, once (a unique index on line and pool: a second claim is a
   * NOT_ALLOWED), and takes its codes back in the same transaction: unrevealed ones to stock, revealed ones voided
   * with the reason, audited as a refund. Answers the claim's id and the codes moved (ids only).
   */
  @InjectTransactionManager()
  async takeBackComponent(
    input: {
      order_id: string
      line_item_id: string
      pool_id: string
      amount: BigNumberInput
      currency_code: string
      reason: string
      actor?: CardActor
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ refund_id: string; restocked: string[]; voided: string[] }> {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    const refundId = generateEntityId(undefined, "cbref")
    const amount = MathBN.convert(input.amount)
    try {
      await knex("card_bundle_refund").insert({
        id: refundId,
        order_id: input.order_id,
        line_item_id: input.line_item_id,
        pool_id: input.pool_id,
        amount: amount.toString(),
        raw_amount: JSON.stringify({ value: amount.toString(), precision: 20 }),
        currency_code: input.currency_code,
        reason: input.reason,
        created_by: input.actor?.id ?? null,
      })
    } catch (e) {
      if (sqlStateOf(e) === "23505") {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Component ${input.pool_id} of line ${input.line_item_id} was already refunded`)
      }
      throw e
    }
    const line = () => knex("card_code").where({ order_id: input.order_id, line_item_id: input.line_item_id, pool_id: input.pool_id }).whereNull("deleted_at")
    const restocked = (await restock(knex, line().whereNull("revealed_at"))).map((r) => r.id)
    const voided = (
      await line()
        .whereIn("status", sourcesOf("void"))
        .update({ status: CardCodeTransitions.void.to, voided_at: knex.fn.now(), void_reason: input.reason, updated_at: knex.fn.now() })
        .returning("id")
    ).map((r: { id: string }) => r.id)
    await knex("card_bundle_refund").where({ id: refundId }).update({ restocked: restocked.length, voided: voided.length })
    await this.audit_(knex, {
      action: "refund",
      actor: input.actor ?? { type: "system" },
      order_id: input.order_id,
      pool_id: input.pool_id,
      code_ids: [...restocked, ...voided],
      reason: input.reason,
      details: { bundle_component: true, line_item_id: input.line_item_id, restocked: restocked.length, voided: voided.length, refund_id: refundId },
    })
    return { refund_id: refundId, restocked, voided }
  }

  /**
   * Compensation of `takeBackComponent` (the money could not be given back): the claim is dropped, voided codes are
   * the line's again, and restocked codes that no one has taken since go back to it.
   */
  @InjectTransactionManager()
  async undoTakeBack(
    input: { refund_id: string; order_id: string; line_item_id: string; restocked: string[]; voided: string[] },
    @MedusaContext() ctx: Context = {}
  ) {
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${input.order_id}`)
    if (input.voided.length) {
      await knex("card_code")
        .whereIn("id", input.voided)
        .where({ status: CardCodeTransitions.void.to })
        .update({ status: CardCodeTransitions.unvoid_revealed.to, voided_at: null, void_reason: null, updated_at: knex.fn.now() })
    }
    if (input.restocked.length) {
      await knex("card_code")
        .whereIn("id", input.restocked)
        .whereIn("status", sourcesOf("reserve"))
        .whereNull("cart_id")
        .update({
          status: CardCodeTransitions.deliver.to,
          order_id: input.order_id,
          line_item_id: input.line_item_id,
          delivered_at: knex.fn.now(),
          updated_at: knex.fn.now(),
        })
    }
    await knex("card_bundle_refund").where({ id: input.refund_id }).delete()
  }

  /** Marks a component's refund as made (its money given back). */
  @InjectTransactionManager()
  async finishComponentRefund(refundId: string, @MedusaContext() ctx: Context = {}) {
    await this.knex_(ctx)("card_bundle_refund").where({ id: refundId }).update({ status: "refunded", updated_at: this.knex_(ctx).fn.now() })
  }

  private async read_(knex: Knex, ids: string[]): Promise<ComposedBundle[]> {
    if (!ids.length) return []
    const bundles: { id: string; name: string }[] = await knex("card_bundle").select("id", "name").whereIn("id", ids).whereNull("deleted_at")
    const parts: (BundleComponent & { bundle_id: string })[] = await knex("card_bundle_component")
      .select("bundle_id", "pool_id", "quantity", "share")
      .whereIn("bundle_id", ids)
      .whereNull("deleted_at")
      .orderBy([{ column: "rank" }, { column: "id" }])
    return bundles.map((b) => ({
      id: b.id,
      name: b.name,
      components: parts.filter((p) => p.bundle_id === b.id).map((p) => ({ pool_id: p.pool_id, quantity: Number(p.quantity), share: Number(p.share) })),
    }))
  }
}

/** Checks a bundle's components and settles their shares (see composeBundle). */
export function normalizeComponents(components: BundleComponentInput[]): BundleComponent[] {
  if (!Array.isArray(components) || !components.length) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "components: a bundle needs at least one component")
  }
  const seen = new Set<string>()
  components.forEach((c, i) => {
    if (!c?.pool_id || typeof c.pool_id !== "string") throw new MedusaError(MedusaError.Types.INVALID_DATA, `components[${i}].pool_id is required`)
    if (seen.has(c.pool_id)) throw new MedusaError(MedusaError.Types.INVALID_DATA, `components[${i}].pool_id: pool ${c.pool_id} is already a component`)
    seen.add(c.pool_id)
    if (!Number.isInteger(c.quantity) || c.quantity <= 0 || c.quantity > 1000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `components[${i}].quantity must be a whole number from 1 to 1000`)
    }
    if (c.share !== undefined && (!Number.isInteger(c.share) || c.share < 0 || c.share > FULL_SHARE)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `components[${i}].share must be whole basis points from 0 to ${FULL_SHARE}`)
    }
  })
  if (components.length === 1 && components[0].quantity === 1) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "components: one code of one pool is not a bundle; link the pool to the variant instead")
  }
  const given = components.filter((c) => c.share !== undefined).length
  if (given && given < components.length) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "components: give every component a share, or none (then the price is split by quantity)")
  }
  if (given) {
    const total = components.reduce((n, c) => n + (c.share ?? 0), 0)
    if (total !== FULL_SHARE) throw new MedusaError(MedusaError.Types.INVALID_DATA, `components: the shares add up to ${total}, not ${FULL_SHARE}`)
    return components.map((c) => ({ pool_id: c.pool_id, quantity: c.quantity, share: c.share! }))
  }
  const units = components.reduce((n, c) => n + c.quantity, 0)
  const shares = components.map((c) => Math.floor((FULL_SHARE * c.quantity) / units))
  shares[0] += FULL_SHARE - shares.reduce((n, s) => n + s, 0)
  return components.map((c, i) => ({ pool_id: c.pool_id, quantity: c.quantity, share: shares[i] }))
}
