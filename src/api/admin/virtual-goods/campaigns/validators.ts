import { z } from "@medusajs/framework/zod"

const when = z.coerce.date()

export const CreateCodeCampaignBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    pool_id: z.string().min(1),
    trigger: z.enum(["customer.created", "order.placed"]),
    budget: z.number().int().min(1).max(10_000_000),
    starts_at: when.nullish(),
    ends_at: when.nullish(),
    status: z.enum(["active", "paused"]).optional(),
  })
  .strict()
  .refine((b) => !b.starts_at || !b.ends_at || b.starts_at < b.ends_at, { message: "ends_at must be after starts_at", path: ["ends_at"] })
export type CreateCodeCampaignBodyType = z.infer<typeof CreateCodeCampaignBody>

export const UpdateCodeCampaignBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    status: z.enum(["active", "paused"]).optional(),
    budget: z.number().int().min(0).max(10_000_000).optional(),
    starts_at: when.nullish(),
    ends_at: when.nullish(),
  })
  .strict()
  .refine((b) => !b.starts_at || !b.ends_at || b.starts_at < b.ends_at, { message: "ends_at must be after starts_at", path: ["ends_at"] })
export type UpdateCodeCampaignBodyType = z.infer<typeof UpdateCodeCampaignBody>

export const ListCampaignGrantsParams = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type ListCampaignGrantsParamsType = z.infer<typeof ListCampaignGrantsParams>
