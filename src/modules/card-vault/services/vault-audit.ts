import type { Context } from "@medusajs/framework/types"
import { InjectManager, MedusaContext } from "@medusajs/framework/utils"
import { VaultSqlService } from "../utils/sql"
import type { CardActor } from "../types"

/** The audit log: entries written by callers outside the vault's own operations (e.g. an admin's download). */
export default class VaultAuditService extends VaultSqlService {
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
}

