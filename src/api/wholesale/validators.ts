import { z } from "@medusajs/framework/zod"

/** A wholesale order: up to 50 lines of one variant each; quantities are whole codes (or top-ups, with their recipient). */
export const WholesaleCreateOrder = z
  .object({
    items: z
      .array(
        z
          .object({
            variant_id: z.string().min(1).max(100),
            quantity: z.number().int().min(1).max(10_000),
            /** A top-up's recipient (phone number, game account…), by the product's field names: sealed at once. */
            recipient: z
              .record(z.string().min(1).max(40), z.string().max(200))
              .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 10, "recipient must have 1 to 10 fields")
              .optional(),
          })
          .strict()
      )
      .min(1)
      .max(50)
      .refine((items) => new Set(items.map((i) => i.variant_id)).size === items.length, "items must name each variant once"),
  })
  .strict()
export type WholesaleCreateOrderType = z.infer<typeof WholesaleCreateOrder>

export const WholesaleListOrdersParams = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).default(0),
    /** Only the order placed with this Idempotency-Key (a supplier's query by its own order number). */
    idempotency_key: z.string().min(1).max(255).optional(),
  })
  .strict()
export type WholesaleListOrdersParamsType = z.infer<typeof WholesaleListOrdersParams>

export const WholesaleRevealOrderCodes = z.object({}).strict()
