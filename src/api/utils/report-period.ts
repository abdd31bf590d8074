import { z } from "@medusajs/framework/zod"

/** A report's period in a query: `?from=&to=` (dates or date-times), `from` before `to`. */
export const ReportPeriodParams = z
  .object({ from: z.coerce.date(), to: z.coerce.date() })
  .strict()
  .refine((p) => p.from < p.to, { message: "from must be before to", path: ["from"] })
export type ReportPeriodParamsType = z.infer<typeof ReportPeriodParams>
