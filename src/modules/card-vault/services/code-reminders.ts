import type { Context } from "@medusajs/framework/types"
import { InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import { VaultSqlService } from "../utils/sql"

/** A code whose buyer is to be reminded of its expiry: ids and mask only. */
export type ExpiryReminderCode = { id: string; order_id: string; pool_id: string; mask: string; status: string; expires_at: Date }

/**
 * Expiry reminders: sold codes that expire within the lead time, claimed once each (one conditional UPDATE with
 * `FOR UPDATE SKIP LOCKED`, so concurrent runs never claim a code twice) — unrevealed ones, and revealed ones of the
 * pools given (vouchers, whose use the redemption ledger tells).
 */
export default class CodeRemindersService extends VaultSqlService {
  @InjectTransactionManager()
  async claimExpiryReminders(
    input: { within_days: number; revealed_pool_ids?: string[]; limit?: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<ExpiryReminderCode[]> {
    if (input.within_days <= 0) return []
    const knex = this.knex_(ctx)
    const pools = input.revealed_pool_ids ?? []
    const { rows } = await knex.raw(
      `UPDATE card_code SET expiry_reminded_at = now(), updated_at = now()
        WHERE id IN (
          SELECT id FROM card_code
           WHERE expiry_reminded_at IS NULL AND order_id IS NOT NULL AND deleted_at IS NULL
             AND expires_at > now() AND expires_at <= now() + make_interval(days => ?)
             AND (status = 'delivered' OR (status = 'revealed' AND pool_id = ANY(?::text[])))
           ORDER BY expires_at, id
           LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING id, order_id, pool_id, mask, status, expires_at`,
      [input.within_days, pools, input.limit ?? 1000]
    )
    return rows
  }

  /** Gives claims back (the reminder could not be sent: the next run tries again). */
  @InjectTransactionManager()
  async releaseExpiryReminders(input: { code_ids: string[] }, @MedusaContext() ctx: Context = {}): Promise<void> {
    if (!input.code_ids.length) return
    await this.knex_(ctx)("card_code").whereIn("id", input.code_ids).update({ expiry_reminded_at: null })
  }
}
