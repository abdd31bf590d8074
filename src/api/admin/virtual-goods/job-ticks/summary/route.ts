import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { JOB_TICKS_MODULE } from "../../../../../modules/job-ticks"
import type JobTicksModuleService from "../../../../../modules/job-ticks/service"
import type { AdminGetJobTickSummaryParamsType } from "../validators"

const DAY_MS = 86_400_000

/**
 * Per job, the ticks since `since` (24 h ago by default): runs, outcomes, runs cut off, takeovers and duplicates
 * (always 0: one row per job and tick is a unique index).
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetJobTickSummaryParamsType>, res: MedusaResponse) => {
  const { since: given } = req.validatedQuery as AdminGetJobTickSummaryParamsType
  const since = given ?? new Date(Date.now() - DAY_MS)
  const jobs = await req.scope.resolve<JobTicksModuleService>(JOB_TICKS_MODULE).jobTickSummary(since)
  res.json({ since, jobs })
}
