import { Module } from "@medusajs/framework/utils"
import JobTicksModuleService from "./service"

export const JOB_TICKS_MODULE = "jobTicks"

export default Module(JOB_TICKS_MODULE, {
  service: JobTicksModuleService,
})

export type { JobTickOutcome, JobTickRow, JobTickSummary } from "./service"
