import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, Modules } from "@medusajs/framework/utils"
import type { SupplierAdapter, SupplierConnection, SupplierFindingKind } from "../../../modules/suppliers/service"
import { SupplierEvents } from "../../../utils/events"
import { suppliersModule } from "./suppliers-module"

export type SupplierReconciliation = {
  supplier_id: string
  /** The balance the supplier reported, or null when it has none or could not be read. */
  balance: string | null
  /** Orders compared on both sides; null when the supplier's protocol cannot list its orders. */
  compared: number | null
  findings: { kind: SupplierFindingKind; supplier_order_id: string | null; created: boolean }[]
  error: string | null
}

/** Orders we submitted: those the supplier should know. */
const SUBMITTED = new Set(["submitting", "accepted", "succeeded", "unknown"])

/**
 * Reconciliation (对账) of one supplier: its balance (a `low_balance` finding under the threshold) and its order list
 * since `since` against ours — an order of ours it does not know (`missing_upstream`, older than `grace_seconds`), one
 * of its we do not (`missing_local`), outcomes that differ (`state_mismatch`: above all a success upstream of a line we
 * refunded), costs that differ (`cost_mismatch`). Findings are keyed, so a daily run repeats none; each new one is
 * announced. Changes no order: the admins decide.
 */
export async function reconcileSupplier(
  container: MedusaContainer,
  supplierId: string,
  options: { since?: Date; grace_seconds?: number } = {}
): Promise<SupplierReconciliation> {
  const suppliers = suppliersModule(container)
  const since = options.since ?? new Date(Date.now() - 2 * 86_400_000)
  const graceMs = (options.grace_seconds ?? 600) * 1000
  const out: SupplierReconciliation = { supplier_id: supplierId, balance: null, compared: null, findings: [], error: null }
  const record = async (kind: SupplierFindingKind, key: string, detail: string, orderId: string | null = null) => {
    const finding = await suppliers.recordSupplierFinding({ key: `${kind}:${supplierId}:${key}`, supplier_id: supplierId, supplier_order_id: orderId, kind, detail })
    out.findings.push({ kind, supplier_order_id: orderId, created: finding.created })
    if (finding.created) await container.resolve(Modules.EVENT_BUS).emit({ name: SupplierEvents.FINDING_RECORDED, data: { id: finding.id, kind, supplier_id: supplierId } })
  }
  const supplier = await suppliers.retrieveSupplier(supplierId, { select: ["id", "name", "low_balance_threshold"] })
  try {
    const balance = await suppliers.callSupplier<{ amount: string; currency_code: string | null } | null>(supplierId, (a: SupplierAdapter, c: SupplierConnection) => a.balance(c), { allowDisabled: true })
    if (balance) {
      out.balance = balance.amount
      await suppliers.recordBalance(supplierId, balance)
      const threshold = supplier.low_balance_threshold === null || supplier.low_balance_threshold === undefined ? null : String(supplier.low_balance_threshold)
      if (threshold && MathBN.lt(balance.amount, threshold)) {
        await record("low_balance", new Date().toISOString().slice(0, 10), `${supplier.name}: balance ${balance.amount} is under ${threshold}; top it up before orders fail.`)
      }
    }
    const theirs = await suppliers.callSupplier<{ order_no: string; state: string; total_cost: string | null }[] | null>(
      supplierId,
      (a: SupplierAdapter, c: SupplierConnection) => a.listOrders(c, since),
      { allowDisabled: true }
    )
    if (!theirs) return out
    const ours = await suppliers.listSupplierOrders(
      { supplier_id: supplierId, created_at: { $gte: since } },
      { select: ["id", "status", "refund_status", "cost", "submitted_at"] }
    )
    const rows = new Map(ours.map((o) => [o.id, o]))
    const upstream = new Map(theirs.map((o) => [o.order_no, o]))
    let compared = 0
    for (const row of rows.values()) {
      const their = upstream.get(row.id)
      if (!their) {
        const submittedAt = row.submitted_at ? new Date(row.submitted_at).getTime() : null
        if (SUBMITTED.has(row.status) && submittedAt !== null && Date.now() - submittedAt > graceMs) {
          await record("missing_upstream", row.id, `${supplier.name} does not list order ${row.id} (ours: ${row.status}).`, row.id)
        }
        continue
      }
      compared++
      const ourFinal = row.status === "succeeded" || row.status === "failed" ? row.status : null
      const theirFinal = their.state === "succeeded" || their.state === "failed" ? their.state : null
      if (ourFinal && theirFinal && ourFinal !== theirFinal) {
        const refunded = row.refund_status === "refunded" ? " and its line was refunded" : ""
        await record("state_mismatch", row.id, `Order ${row.id}: ${supplier.name} says ${their.state}, ours is ${row.status}${refunded}.`, row.id)
      }
      if (row.cost !== null && row.cost !== undefined && their.total_cost !== null && !MathBN.eq(row.cost, their.total_cost)) {
        await record("cost_mismatch", row.id, `Order ${row.id}: ${supplier.name} charged ${their.total_cost}, we recorded ${row.cost}.`, row.id)
      }
    }
    const unmatched = theirs.filter((o) => !rows.has(o.order_no))
    const older = new Set(
      unmatched.length ? (await suppliers.listSupplierOrders({ id: unmatched.map((o) => o.order_no) }, { select: ["id"] })).map((o) => o.id) : []
    )
    for (const their of unmatched) {
      if (older.has(their.order_no)) continue
      await record("missing_local", their.order_no, `${supplier.name} lists order ${their.order_no} (${their.state}${their.total_cost ? `, ${their.total_cost}` : ""}), which is not ours.`)
    }
    out.compared = compared
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e)
  }
  return out
}

/** Reconciles every active supplier (the daily job). */
export async function reconcileSuppliers(container: MedusaContainer): Promise<SupplierReconciliation[]> {
  const active = await suppliersModule(container).listSuppliers({ status: "active" }, { select: ["id"] })
  const out: SupplierReconciliation[] = []
  for (const { id } of active) out.push(await reconcileSupplier(container, id))
  return out
}
