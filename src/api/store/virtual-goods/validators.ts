import { z } from "@medusajs/framework/zod"

export const StoreRevealLinkToken = z.object({ token: z.string().min(1).max(200) }).strict()
export type StoreRevealLinkTokenType = z.infer<typeof StoreRevealLinkToken>

export const StoreRevealCardCode = z.object({}).strict()
