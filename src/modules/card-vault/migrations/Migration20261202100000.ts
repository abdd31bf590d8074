import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** Expiry reminders: when a code's buyer was reminded (once), and the index the reminder job reads by. */
export class Migration20261202100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "card_code" add column if not exists "expiry_reminded_at" timestamptz null;`)
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_card_code_expiry_reminder" ON "card_code" ("expires_at") WHERE expiry_reminded_at IS NULL AND order_id IS NOT NULL AND status IN ('delivered', 'revealed') AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_card_code_expiry_reminder";`)
    this.addSql(`alter table if exists "card_code" drop column if exists "expiry_reminded_at";`)
  }
}
