import { z } from "@medusajs/framework/zod"

export const StoreRevealLinkToken = z.object({ token: z.string().min(1).max(200) }).strict()
export type StoreRevealLinkTokenType = z.infer<typeof StoreRevealLinkToken>

export const StoreRevealCardCode = z.object({}).strict()

/** `?variant_id=a&variant_id=b` (or one id): at most 100 variants per request. */
export const StoreGetVirtualStockParams = z
  .object({
    variant_id: z
      .union([z.string().min(1).max(100), z.array(z.string().min(1).max(100)).min(1).max(100)])
      .transform((v) => (Array.isArray(v) ? v : [v])),
  })
  .strict()
export type StoreGetVirtualStockParamsType = z.infer<typeof StoreGetVirtualStockParams>
