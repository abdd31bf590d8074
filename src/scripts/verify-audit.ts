import { readFileSync } from "fs"
import { ExecArgs } from "@medusajs/framework/types"
import { parseCliArgs } from "./utils/cli"
import { readExportedCheckpoints } from "../workflows/audit/utils/exported-checkpoints"
import { cardVaultModule } from "../workflows/virtual-goods/utils/card-vault-module"

const USAGE = "npx medusa-virtual-goods verify-audit [--checkpoint-dir dir] [--public-key key.pem]"

/**
 * Verifies the audit log: every row against its hash chain, every chain's head, and the signed checkpoints — stored,
 * and exported to `--checkpoint-dir` (default: the configured `audit_checkpoint_dir`) — against `--public-key` (default:
 * the configured signing key's). Prints the first broken link of each chain; exit code 1 when anything is wrong.
 */
export default async function verifyAudit({ container, args }: ExecArgs) {
  const say = (line: string) => process.stdout.write(`${line}\n`)
  const { values } = parseCliArgs(
    args,
    { "checkpoint-dir": { type: "string" }, "public-key": { type: "string" } },
    `${USAGE}\n(through medusa exec, give options as key=value, e.g. checkpoint-dir=/backups/audit)`
  )
  const vault = cardVaultModule(container)
  const dir = values["checkpoint-dir"] ?? vault.getOptions().audit_checkpoint_dir
  const extra = await readExportedCheckpoints(dir)
  const trusted = values["public-key"] ? readFileSync(values["public-key"], "utf8") : undefined
  const report = await vault.verifyAuditChain({ extra_checkpoints: extra, trusted_public_key: trusted, limit: 1000 })
  say(
    `${report.rows} audit rows, ${report.links} links in ${report.chains} chains; ` +
      (report.checkpoints.key_id
        ? `${report.checkpoints.verified} checkpoints verified with key ${report.checkpoints.key_id}${dir ? ` (exported copies from ${dir}: ${extra.length})` : ""}`
        : "no signing key: checkpoints not checked")
  )
  if (report.ok) {
    say("The audit log verifies: no row was changed, removed or added outside its chain.")
    return
  }
  say(`The audit log does NOT verify (${report.problems.length} problems). First broken link of each chain:`)
  for (const p of report.first_broken) say(`  ${p.kind}: ${p.message}`)
  process.exitCode = 1
}
