import { Migration } from "@medusajs/framework/mikro-orm/migrations"
import { agentLedgerPostFunctionSql } from "../sql/agent-ledger-post"

/**
 * `agent_ledger_post` from its one definition (sql/agent-ledger-post.ts), which the ledger service points to. The
 * function is Migration20261123042937's, statement for statement; only its home moved out of the migration.
 */
export class Migration20261201100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(agentLedgerPostFunctionSql())
  }

  override async down(): Promise<void> {
    // The previous definition is the same function; Migration20261123042937's down drops it.
  }
}
