import { ExecArgs } from "@medusajs/framework/types"
import { optionalNumber, parseCliArgs } from "./utils/cli"
import { cardVaultModule } from "../workflows/virtual-goods/utils/card-vault-module"

const USAGE = "npx medusa-virtual-goods rotate-keys [--batch-size 1000] [--max-wait-seconds 60]"

/**
 * Key rotation, step 2 of 3. (1) Add the new key to VIRTUAL_GOODS_ENCRYPTION_KEYS and make it primary
 * (VIRTUAL_GOODS_PRIMARY_KEY_VERSION), restart: new codes are sealed with it, old ones still open. (2) Run this:
 * every code sealed with another key is re-encrypted under the primary one, in small batches, while the store keeps
 * selling. (3) When it reports 0 remaining, remove the old key from the configuration.
 */
export default async function rotateKeys({ container, args }: ExecArgs) {
  // The command's report goes to its output whatever the app's log level is.
  const say = (line: string) => process.stdout.write(`${line}\n`)
  const { values } = parseCliArgs(
    args,
    { "batch-size": { type: "string" }, "max-wait-seconds": { type: "string" } },
    `${USAGE}\n(through medusa exec, give options as key=value, e.g. batch-size=500)`
  )
  const vault = cardVaultModule(container)
  const before = await vault.getKeyStatus()
  say(
    `Primary key version ${before.primary_key_version}; codes per key version: ` +
      before.key_versions.map((k) => `${k.version}: ${k.codes}${k.in_keyring ? "" : " (NOT in keyring)"}`).join(", ")
  )
  let last = 0
  const result = await vault.rotateKeys({
    batch_size: optionalNumber(values["batch-size"], "batch-size"),
    max_wait_ms: (optionalNumber(values["max-wait-seconds"], "max-wait-seconds") ?? 60) * 1000,
    actor: { type: "system", id: "cli:rotate-keys" },
    on_progress: (rotated) => {
      if (rotated - last >= 10_000) {
        last = rotated
        say(`  ${rotated} codes re-encrypted`)
      }
    },
  })
  say(`Re-encrypted ${result.rotated} codes under key version ${result.to_version}; ${result.remaining} remaining`)
  if (result.remaining > 0) {
    say("Some codes were busy the whole time; run the command again. Keep the old keys until 0 remain.")
    process.exitCode = 1
  } else if (result.from_versions.length) {
    say(`Key version(s) ${result.from_versions.join(", ")} no longer seal any code and can be removed from the keyring.`)
  }
}
