import type { Context } from "@medusajs/framework/types"
import { InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { CardCodeStatus, CardCodeTransitions } from "../utils/state-machine"
import { VaultSqlService } from "../utils/sql"
import type { CardActor } from "../types"

type VoidSource = (typeof CardCodeTransitions.void.from)[number]

/** Delivered codes whose plaintext never left the vault: a freeze voids them (the `void` transition). */
const UNREVEALED = [CardCodeStatus.DELIVERED] as const satisfies readonly VoidSource[]
/** Revealed codes: a freeze leaves them revealed and marks them frozen. */
const REVEALED = [CardCodeTransitions.reveal.to] as const satisfies readonly VoidSource[]

/**
 * Payment disputes (chargebacks): an order's codes are taken out of reach while its payment is disputed, and given
 * back when the dispute is won. Frozen codes are refused by every reveal path (see CodeRevealService), by reissue, and
 * counted as `disputed` in their batch's report.
 */
export default class CodeFreezeService extends VaultSqlService {
  /**
   * Freezes an order's codes while a payment dispute (`reference`, the dispute's id) is open, in one transaction:
   * delivered codes never revealed are voided (they never left the vault: simply out of circulation); revealed codes
   * stay `revealed` and are marked frozen, so no reveal path opens them. Each change has an audit row (`void`,
   * `freeze`) with the reason and the reference. Counts change only from delivered to voided.
   *
   * Idempotent: a second call changes nothing, writes no audit row and returns empty lists (a code delivered to the
   * order since the first call would be voided by it). Codes already frozen keep the reference that froze them.
   */
  @InjectTransactionManager()
  async freezeOrderCodes(
    input: { order_id: string; reason: string; reference: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ voided_code_ids: string[]; frozen_code_ids: string[] }> {
    const { order_id, reference, reason } = checked(input)
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${order_id}`)
    const mark = { frozen_at: knex.fn.now(), frozen_reason: reason, freeze_reference: reference, updated_at: knex.fn.now() }
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort()
    const voided = ids(
      await knex("card_code")
        .where({ order_id })
        .whereIn("status", UNREVEALED)
        .whereNull("deleted_at")
        .update({ status: CardCodeTransitions.void.to, voided_at: knex.fn.now(), void_reason: reason, ...mark })
        .returning("id")
    )
    const frozen = ids(
      await knex("card_code")
        .where({ order_id })
        .whereIn("status", REVEALED)
        .whereNull("frozen_at")
        .whereNull("deleted_at")
        .update(mark)
        .returning("id")
    )
    const actor = input.actor ?? { type: "system" as const }
    if (voided.length) {
      await this.audit_(knex, { action: "void", actor, order_id, code_ids: voided, reason, details: { reference, dispute_freeze: true } })
    }
    if (frozen.length) {
      await this.audit_(knex, { action: "freeze", actor, order_id, code_ids: frozen, reason, details: { reference } })
    }
    return { voided_code_ids: voided, frozen_code_ids: frozen }
  }

  /**
   * Lifts the freeze of dispute `reference` (it was won): the order's revealed codes it froze can be revealed again.
   * Returns those (`unfrozen_code_ids`) and the codes the freeze voided that still wait for a replacement
   * (`voided_code_ids`): reissue each (`reissueCode`) to deliver a fresh code to its line — the voided code is not
   * voided again nor counted invalid, and leaves the list once replaced. Audited (`unfreeze`) when it lifts anything.
   *
   * Idempotent: a second call lifts nothing (`unfrozen_code_ids: []`, no audit row) and lists the same voided codes
   * until each is replaced, so a retried caller reissues only what is left. Codes frozen by another dispute stay frozen.
   */
  @InjectTransactionManager()
  async unfreezeOrderCodes(
    input: { order_id: string; reference: string; reason: string; actor?: CardActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ unfrozen_code_ids: string[]; voided_code_ids: string[] }> {
    const { order_id, reference, reason } = checked(input)
    const knex = this.knex_(ctx)
    await this.xactLock_(knex, `card-order:${order_id}`)
    const voidedTo = CardCodeTransitions.void.to
    // A voided code keeps its reference (it waits for a replacement) only when the freeze voided it: never revealed.
    const lifted: { id: string; status: string }[] = await knex("card_code")
      .where({ order_id, freeze_reference: reference })
      .whereNotNull("frozen_at")
      .whereNull("deleted_at")
      .update({
        frozen_at: null,
        frozen_reason: null,
        freeze_reference: knex.raw(`CASE WHEN status = ? AND revealed_at IS NULL THEN freeze_reference END`, [voidedTo]),
        updated_at: knex.fn.now(),
      })
      .returning(["id", "status"])
    const unfrozen = lifted.filter((r) => r.status === CardCodeTransitions.reveal.to).map((r) => r.id).sort()
    const waiting: { id: string }[] = await knex("card_code")
      .select("id")
      .where({ order_id, freeze_reference: reference, status: voidedTo, invalid: false })
      .whereNull("frozen_at")
      .whereNull("revealed_at")
      .whereNull("deleted_at")
      .orderBy("id")
    const voided = waiting.map((r) => r.id)
    if (lifted.length) {
      await this.audit_(knex, {
        action: "unfreeze",
        actor: input.actor ?? { type: "system" },
        order_id,
        code_ids: lifted.map((r) => r.id).sort(),
        reason,
        details: { reference, unfrozen: unfrozen.length, voided_to_replace: voided.length },
      })
    }
    return { unfrozen_code_ids: unfrozen, voided_code_ids: voided }
  }
}

function checked(input: { order_id: string; reason: string; reference: string }) {
  const reference = typeof input.reference === "string" ? input.reference.trim() : ""
  const reason = typeof input.reason === "string" ? input.reason.trim().slice(0, 1000) : ""
  if (typeof input.order_id !== "string" || !input.order_id) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "A freeze needs an order id")
  }
  if (!reference) throw new MedusaError(MedusaError.Types.INVALID_DATA, "A freeze needs a reference (the dispute's id)")
  if (!reason) throw new MedusaError(MedusaError.Types.INVALID_DATA, "A freeze needs a reason")
  return { order_id: input.order_id, reference, reason }
}
