import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Payment disputes freeze an order's codes (services/code-freeze.ts): `frozen_at`, `frozen_reason` and
 * `freeze_reference` (the dispute) on card_code. Only a revealed code (frozen, still revealed) or a voided one (voided
 * by the freeze) carries a freeze; the database refuses any other row.
 */
export class Migration20261201103000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "card_code" add column if not exists "frozen_at" timestamptz null, add column if not exists "frozen_reason" text null, add column if not exists "freeze_reference" text null;`)
    this.addSql(`alter table "card_code" drop constraint if exists "card_code_frozen_check";`)
    this.addSql(`alter table "card_code" add constraint "card_code_frozen_check" check (
      (frozen_at is null and freeze_reference is null) or status in ('revealed', 'voided'));`)
    // An order's frozen codes are found through IDX_card_code_order_id; the batch report counts them per batch.
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "card_code" drop constraint if exists "card_code_frozen_check";`)
    this.addSql(`alter table if exists "card_code" drop column if exists "frozen_at", drop column if exists "frozen_reason", drop column if exists "freeze_reference";`)
  }
}
