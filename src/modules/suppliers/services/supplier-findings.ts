import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { knexOf, SuppliersSqlService } from "../utils/sql"

export type SupplierFindingKind =
  | "missing_upstream"
  | "missing_local"
  | "state_mismatch"
  | "cost_mismatch"
  | "low_balance"
  | "price_over_limit"
  | "late_callback"
  | "unknown_outcome"
  | "restock_failed"

/** What reconciliation and the alerts found: one row per key (a repeat updates it and opens it again). */
export default class SupplierFindingsService extends SuppliersSqlService {
  @InjectTransactionManager()
  async recordFinding(
    input: { key: string; supplier_id: string; supplier_order_id?: string | null; kind: SupplierFindingKind; detail: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; created: boolean }> {
    const { rows } = await knexOf(ctx).raw(
      `INSERT INTO supplier_finding (id, key, supplier_id, supplier_order_id, kind, status, detail, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'open', ?, now(), now())
       ON CONFLICT (key) WHERE deleted_at IS NULL DO UPDATE SET detail = EXCLUDED.detail, updated_at = now(),
         status = CASE WHEN supplier_finding.detail = EXCLUDED.detail THEN supplier_finding.status ELSE 'open' END
       RETURNING id, (xmax = 0) AS created`,
      [generateEntityId(undefined, "supf"), input.key, input.supplier_id, input.supplier_order_id ?? null, input.kind, input.detail.slice(0, 1000)]
    )
    return { id: rows[0].id, created: !!rows[0].created }
  }

  @InjectTransactionManager()
  async resolveFinding(input: { id: string; resolution: string; actor: string }, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = knexOf(ctx)
    const n = await knex("supplier_finding")
      .where({ id: input.id, status: "open" })
      .whereNull("deleted_at")
      .update({ status: "resolved", resolution: input.resolution.slice(0, 500), resolved_by: input.actor, resolved_at: knex.fn.now(), updated_at: knex.fn.now() })
    if (!n) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Open supplier finding with id: ${input.id} was not found`)
  }
}
