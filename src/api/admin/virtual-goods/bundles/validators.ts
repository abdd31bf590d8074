import { z } from "@medusajs/framework/zod"

export const SetCardBundleBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    components: z
      .array(
        z
          .object({
            pool_id: z.string().min(1),
            quantity: z.number().int().min(1).max(1000),
            /** Basis points of the bundle's price (all components or none; they add up to 10,000). */
            share: z.number().int().min(0).max(10_000).optional(),
          })
          .strict()
      )
      .min(1)
      .max(20),
  })
  .strict()
export type SetCardBundleBodyType = z.infer<typeof SetCardBundleBody>

export const RefundBundleComponentBody = z
  .object({
    line_item_id: z.string().min(1),
    pool_id: z.string().min(1),
    reason: z.string().trim().min(1).max(500),
  })
  .strict()
export type RefundBundleComponentBodyType = z.infer<typeof RefundBundleComponentBody>
