import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { JOB_TICKS_MODULE } from "../../../../modules/job-ticks"
import type JobTicksModuleService from "../../../../modules/job-ticks/service"
import type { AdminGetJobTicksParamsType } from "./validators"

/** The scheduled jobs' tick ledger, newest tick first: who ran each tick, how often it was claimed, how it ended. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetJobTicksParamsType>, res: MedusaResponse) => {
  const { job_name, limit, offset } = req.validatedQuery as AdminGetJobTicksParamsType
  const [jobTicks, count] = await req.scope
    .resolve<JobTicksModuleService>(JOB_TICKS_MODULE)
    .listAndCountJobTicks(job_name ? { job_name } : {}, { take: limit, skip: offset, order: { tick_at: "DESC", id: "DESC" } })
  res.json({ job_ticks: jobTicks, count, limit, offset })
}
