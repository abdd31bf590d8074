import { z } from "@medusajs/framework/zod"

/** dujiao-next's order request: one SKU (our variant id), a quantity, the downstream's own order number. */
export const DujiaoCreateOrder = z
  .object({
    sku_id: z.union([z.string().min(1).max(100), z.number().int().nonnegative()]).transform((v) => String(v)),
    quantity: z.number().int().min(1).max(10_000),
    manual_form_data: z.record(z.string(), z.unknown()).nullable().optional(),
    downstream_order_no: z.string().max(255).optional(),
    trace_id: z.string().max(255).optional(),
    callback_url: z.string().max(2000).optional(),
  })
  .passthrough()
export type DujiaoCreateOrderType = z.infer<typeof DujiaoCreateOrder>
