import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Buyer's choice: the picks of a cart, found from its audit rows (a picked code whose line left the cart is released
 * at checkout). A partial index: only `pick` rows, by cart.
 */
export class Migration20261204100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_log_pick_cart_id" ON "card_audit_log" ("cart_id") WHERE action = 'pick';`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_card_audit_log_pick_cart_id";`)
  }
}
