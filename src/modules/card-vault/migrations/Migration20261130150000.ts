import { Migration } from "@medusajs/framework/mikro-orm/migrations"
import { cardVaultReserveFunctionSql } from "../sql/card-vault-reserve"

/**
 * `card_vault_reserve` from its one definition (sql/card-vault-reserve.ts), whose claim is the same text as the
 * TypeScript claim and whose statuses come from the state machine. The function does what Migration20261130060000's
 * did, statement for statement; only its text is now generated instead of written out twice.
 */
export class Migration20261130150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(cardVaultReserveFunctionSql())
  }

  override async down(): Promise<void> {
    // The previous definition behaves the same; Migration20261130060000's down restores older ones.
  }
}
