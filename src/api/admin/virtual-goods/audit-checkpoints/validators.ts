import { z } from "@medusajs/framework/zod"

export const ListAuditCheckpointsParams = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }).strict()
export type ListAuditCheckpointsParamsType = z.infer<typeof ListAuditCheckpointsParams>
