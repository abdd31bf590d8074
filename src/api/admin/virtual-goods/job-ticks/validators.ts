import { z } from "@medusajs/framework/zod"

/** `GET /admin/virtual-goods/job-ticks`: the ledger's rows, newest tick first, optionally of one job. */
export const AdminGetJobTicksParams = z
  .object({
    job_name: z.string().trim().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminGetJobTicksParamsType = z.infer<typeof AdminGetJobTicksParams>

/** `GET /admin/virtual-goods/job-ticks/summary`: per job, the ticks since `since` (a date or date-time; 24 h ago by default). */
export const AdminGetJobTickSummaryParams = z.object({ since: z.coerce.date().optional() }).strict()
export type AdminGetJobTickSummaryParamsType = z.infer<typeof AdminGetJobTickSummaryParams>
