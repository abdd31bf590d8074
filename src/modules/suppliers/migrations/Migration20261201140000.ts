import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** At most one open restock per pool: concurrent runs of the restock job cannot buy twice (the second insert is a no-op). */
export class Migration20261201140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_supplier_order_open_restock_unique" ON "supplier_order" ("pool_id") WHERE kind = 'restock' AND status IN ('pending', 'submitting', 'accepted', 'unknown') AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_supplier_order_open_restock_unique";`)
  }
}
