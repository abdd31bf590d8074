import { MedusaContainer } from "@medusajs/framework/types"
import { JOB_TICKS_MODULE } from "../modules/job-ticks"
import type JobTicksModuleService from "../modules/job-ticks/service"
import { runOncePerTick } from "../utils/once-per-tick"

/** How long the tick ledger keeps finished ticks (one row per job and tick: about 12,000 a day). */
export const JOB_TICK_RETENTION_DAYS = 30

/** Every night: the tick ledger forgets finished ticks older than `JOB_TICK_RETENTION_DAYS`. */
export default async function virtualGoodsJobTicksPrune(container: MedusaContainer) {
  await runOncePerTick(container, config, async () => {
    const ticks = container.resolve<JobTicksModuleService>(JOB_TICKS_MODULE)
    let pruned = 0
    for (let n = -1; n !== 0; pruned += n) n = await ticks.pruneJobTicks(JOB_TICK_RETENTION_DAYS)
    return { pruned }
  })
}

export const config = {
  name: "virtual-goods-job-ticks-prune",
  schedule: "23 4 * * *",
}
