import { createHash } from "crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { validateImportEntries } from "../../../modules/card-vault/utils/import-entries"
import type { SupplierOrderRow, UpstreamOrderAnswer } from "../../../modules/suppliers/service"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { importCardCodesWorkflow } from "../../virtual-goods/workflows/import-card-codes"
import { suppliersModule } from "./suppliers-module"

/** The import reference of a supplier order's codes: the vault's unique batch hash makes the import happen once. */
const importReference = (supplierOrderId: string) => createHash("sha256").update(`supplier-order:${supplierOrderId}`).digest("hex")

/**
 * Imports the codes a supplier delivered for a restock into its pool, exactly once: sealed here (the import workflow
 * carries ciphertext only), one batch with the supplier's name and the real unit cost, referenced by the supplier
 * order (the vault's unique batch hash: a repeat — a query after a crash — finds the batch instead of importing again).
 * Answers the batch id. The codes never leave this function in clear. A pass-through purchase's codes are imported
 * reserved for the order that bought them (under its cart's key, where delivery looks), never into stock.
 */
export async function importRestockCodes(
  container: MedusaContainer,
  order: Pick<SupplierOrderRow, "id" | "pool_id" | "supplier_id" | "quantity" | "currency_code"> & Partial<Pick<SupplierOrderRow, "kind" | "order_id">>,
  answer: Pick<UpstreamOrderAnswer, "codes" | "total_cost">
): Promise<{ batch_id: string; imported: number }> {
  const vault = cardVaultModule(container)
  const reference = importReference(order.id)
  const existing = async () => (await vault.listCardBatches({ file_hash: reference, status: "committed" }, { select: ["id", "code_count"], take: 1 }))[0]
  const done = await existing()
  if (done) return { batch_id: done.id, imported: Number(done.code_count) }
  if (!order.pool_id) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Supplier order ${order.id} has no pool to restock`)
  const { entries, errors } = validateImportEntries((answer.codes ?? []).map((c) => ({ code: c.code, password: c.password ?? undefined })))
  if (errors.length || !entries.length) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `The supplier's answer for ${order.id} holds ${errors.length ? `${errors.length} unusable code(s)` : "no code"}`)
  }
  const supplier = await suppliersModule(container).retrieveSupplier(order.supplier_id, { select: ["name"] })
  const unitCost = answer.total_cost ? MathBN.div(MathBN.convert(answer.total_cost), entries.length).toString() : null
  const reserveFor = order.kind === "pass_through" ? await reservationKeyOf(container, order) : null
  try {
    const { result } = await importCardCodesWorkflow(container).run({
      input: {
        pool_id: order.pool_id,
        codes: vault.sealCodes(order.pool_id, entries),
        supplier: supplier.name,
        cost_per_code: unitCost,
        currency_code: order.currency_code,
        file_hash: reference,
        reserve_for: reserveFor,
        actor: { type: "system", id: `supplier-order:${order.id}` },
      },
    })
    return { batch_id: result.batch_id, imported: result.imported }
  } catch (e) {
    // Another run imported them meanwhile (the batch hash is unique): that batch is the answer.
    const raced = await existing()
    if (raced) return { batch_id: raced.id, imported: Number(raced.code_count) }
    throw e
  }
}

/** Where delivery looks for a pass-through order's codes: its Medusa order's cart (or the key its metadata names). */
async function reservationKeyOf(container: MedusaContainer, order: { id: string; order_id?: string | null }): Promise<string> {
  if (!order.order_id) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Pass-through purchase ${order.id} has no order`)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["id", "cart.id", "metadata"], filters: { id: order.order_id } })
  const row = data[0] as { cart?: { id: string } | null; metadata?: Record<string, unknown> | null } | undefined
  const key = row?.cart?.id ?? row?.metadata?.virtual_goods_reservation_key
  // Delivery's own fallback key for an order without either (see the vault's deliverOrder).
  return typeof key === "string" ? key : `order:${order.order_id}`
}
