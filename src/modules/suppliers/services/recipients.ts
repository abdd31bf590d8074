import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import type { RecipientFields } from "../adapters/types"
import { maskRecipientValue, recipientAad } from "../utils/sealing"
import { knexOf, SuppliersSqlService } from "../utils/sql"
import { parseRecipientFields, validateRecipient } from "../utils/recipient-fields"

/** Top-up recipients: validated against their product's fields, sealed, shown masked; opened only for the submission. */
export default class RecipientsService extends SuppliersSqlService {
  /** Validates and seals a recipient for a product; answers its id and mask (never the values). */
  @InjectTransactionManager()
  async saveRecipient(
    input: { supplier_product_id: string; fields: Record<string, unknown>; variant_id?: string | null; cart_id?: string | null; agent_id?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; masked: string }> {
    const knex = knexOf(ctx)
    const product = await knex("supplier_product")
      .select("id", "kind", "recipient_fields", "status")
      .where({ id: input.supplier_product_id })
      .whereNull("deleted_at")
      .first()
    if (!product || product.kind !== "topup") {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Top-up product ${input.supplier_product_id} was not found`)
    }
    const fields = validateRecipient(parseRecipientFields(product.recipient_fields), input.fields)
    const id = generateEntityId(undefined, "rcpt")
    const sealed = this.sealer_.seal(fields, recipientAad(id))
    const masked = Object.entries(fields)
      .map(([k, v]) => `${k}: ${maskRecipientValue(v)}`)
      .join(", ")
    await knex("supplier_recipient").insert({
      id,
      supplier_product_id: product.id,
      variant_id: input.variant_id ?? null,
      cart_id: input.cart_id ?? null,
      agent_id: input.agent_id ?? null,
      ciphertext: sealed.ciphertext,
      key_version: sealed.key_version,
      masked,
    })
    return { id, masked }
  }

  /** A keyed fingerprint of a recipient's fields (sorted by name): for a request's idempotency hash, never the values. */
  recipientFingerprint(fields: Record<string, string>): string {
    return this.sealer_.fingerprint(Object.keys(fields).sort().map((k) => [k, fields[k]]))
  }

  /** The recipient's rows without their values (to check a cart's lines). */
  @InjectManager()
  async describeRecipients(ids: string[], @MedusaContext() ctx: Context = {}): Promise<{ id: string; supplier_product_id: string; variant_id: string | null; cart_id: string | null; agent_id: string | null; masked: string }[]> {
    if (!ids.length) return []
    return knexOf(ctx)("supplier_recipient")
      .select("id", "supplier_product_id", "variant_id", "cart_id", "agent_id", "masked")
      .whereIn("id", ids)
      .whereNull("deleted_at")
  }

  /** Opens a recipient for the one call that sends it to the supplier. Never logged, never returned by a route. */
  @InjectManager()
  async openRecipient(id: string, @MedusaContext() ctx: Context = {}): Promise<RecipientFields> {
    const row = await knexOf(ctx)("supplier_recipient").select("id", "ciphertext", "key_version").where({ id }).whereNull("deleted_at").first()
    if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Recipient ${id} was not found`)
    return this.sealer_.open<RecipientFields>({ key_version: row.key_version, ciphertext: row.ciphertext }, recipientAad(row.id))
  }
}
