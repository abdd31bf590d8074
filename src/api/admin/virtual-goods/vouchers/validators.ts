import { z } from "@medusajs/framework/zod"
import { ReportPeriodParams, type ReportPeriodParamsType } from "../../../utils/report-period"

const decimal = (field: string) => z.string().regex(/^\d{1,12}(\.\d{1,8})?$/, `${field} must be a decimal amount such as 12.50`)

/** A voucher's code as typed at a counter or read from its QR code (surrounding spaces are ignored). */
export const VoucherCodeBody = z.object({ code: z.string().trim().min(1, "code is required").max(512) }).strict()
export type VoucherCodeBodyType = z.infer<typeof VoucherCodeBody>

export const RedeemVoucherBody = z.object({ code: z.string().trim().min(1, "code is required").max(512), amount: decimal("amount").optional() }).strict()
export type RedeemVoucherBodyType = z.infer<typeof RedeemVoucherBody>

export const RollbackRedemptionBody = z.object({ reason: z.string().trim().min(3, "reason must be at least 3 characters").max(500) }).strict()
export type RollbackRedemptionBodyType = z.infer<typeof RollbackRedemptionBody>

export const SetVoucherProgramBody = z
  .object({
    kind: z.enum(["single_use", "multi_use", "stored_value"]),
    uses: z.number().int().min(1).max(100_000).nullable().optional(),
    face_value: decimal("face_value").nullable().optional(),
    currency_code: z.string().length(3).nullable().optional(),
    rollback_window_seconds: z.number().int().min(0).max(30 * 86_400).optional(),
    status: z.enum(["active", "disabled"]).optional(),
  })
  .strict()
export type SetVoucherProgramBodyType = z.infer<typeof SetVoucherProgramBody>

export const ListVoucherRedemptionsParams = z
  .object({
    pool_id: z.string().optional(),
    code_id: z.string().optional(),
    channel: z.enum(["counter", "partner"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type ListVoucherRedemptionsParamsType = z.infer<typeof ListVoucherRedemptionsParams>

export const VoucherReportParams = ReportPeriodParams
export type VoucherReportParamsType = ReportPeriodParamsType

export const SetCounterAccountBody = z.object({ user_id: z.string().min(1), counter: z.boolean() }).strict()
export type SetCounterAccountBodyType = z.infer<typeof SetCounterAccountBody>
