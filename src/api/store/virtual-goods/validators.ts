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

/** A guest's order lookup: the order's email and its number (the `display_id` the confirmation shows, `#` allowed). */
export const StoreRequestOrderLink = z
  .object({
    email: z.string().trim().email("email must be an email address").max(254, "email must be at most 254 characters"),
    order_number: z.union([z.number(), z.string().trim().regex(/^#?\d{1,12}$/, "order_number must be the order's number, e.g. 1042 or #1042")]).transform((v, ctx) => {
      const n = typeof v === "number" ? v : Number(v.replace(/^#/, ""))
      if (!Number.isSafeInteger(n) || n < 1) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "order_number must be a positive whole number" })
        return z.NEVER
      }
      return n
    }),
  })
  .strict()
export type StoreRequestOrderLinkType = z.infer<typeof StoreRequestOrderLink>

const receiptSecret = z
  .string()
  .min(43, "secret must be at least 43 characters (32 random bytes, base64url)")
  .max(200, "secret must be at most 200 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "secret must be base64url (A-Z, a-z, 0-9, - and _)")

/** The storefront registering its shopper's receipt for a cart. */
export const StoreCreateReceipt = z.object({ secret: receiptSecret }).strict()
export type StoreCreateReceiptType = z.infer<typeof StoreCreateReceipt>

/** The checking-out browser asking for its order's codes by its receipt. */
export const StoreReceipt = z.object({ order_id: z.string().min(1).max(100), secret: z.string().min(1).max(200) }).strict()
export type StoreReceiptType = z.infer<typeof StoreReceipt>

/** A top-up line's recipient: its product's fields (checked by the suppliers module), text values. */
export const StoreSetRecipient = z.object({ recipient: z.record(z.string(), z.string().max(200)) }).strict()
export type StoreSetRecipientType = z.infer<typeof StoreSetRecipient>

export const StoreGetTopUpFieldsParams = z.object({ variant_id: z.string().min(1) }).strict()
export type StoreGetTopUpFieldsParamsType = z.infer<typeof StoreGetTopUpFieldsParams>

/**
 * Buyer's choice: a page of the codes a shopper may pick; `q` keeps labels containing it (the characters a label shows;
 * `*` stands for hidden ones and is not searchable).
 */
export const StoreGetPickableCodesParams = z
  .object({
    q: z
      .string()
      .trim()
      .max(64, "q must be at most 64 characters")
      .refine((q) => !q.includes("*"), "q: search by the characters a label shows (* hides the others)")
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict()
export type StoreGetPickableCodesParamsType = z.infer<typeof StoreGetPickableCodesParams>

/** Buyer's choice: the code a shopper picked (by id, from the list) for a variant, added to the cart as its own line. */
export const StorePickCardCode = z
  .object({
    variant_id: z.string().min(1).max(100),
    code_id: z.string().min(1).max(100),
  })
  .strict()
export type StorePickCardCodeType = z.infer<typeof StorePickCardCode>
