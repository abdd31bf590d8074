import { createHash } from "crypto"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { VIRTUAL_GOODS_EXPIRY_REMINDER_TEMPLATE } from "../../../utils/notification-templates"
import type { ExpiryReminder } from "./claim-expiry-reminders"

export type SendExpiryRemindersStepInput = { codes: ExpiryReminder[] }

export const sendExpiryRemindersStepId = "send-expiry-reminders"

type OrderRow = { id: string; email: string | null; display_id: number | null; locale?: string | null }

/**
 * One reminder per order through Medusa's notification module (`virtual-goods.expiry-reminder`, masks and dates only),
 * keyed by the order and its codes so a repeat sends nothing new. Orders without an email are skipped. Irreversible:
 * the workflow's last step.
 */
export const sendExpiryRemindersStep = createStep(sendExpiryRemindersStepId, async (input: SendExpiryRemindersStepInput, { container }) => {
  if (!input.codes.length) return new StepResponse({ sent: 0 })
  const byOrder = new Map<string, ExpiryReminder[]>()
  for (const c of input.codes) byOrder.set(c.order_id, [...(byOrder.get(c.order_id) ?? []), c])
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["id", "email", "display_id", "locale"], filters: { id: [...byOrder.keys()] } })
  const notifications = (data as OrderRow[])
    .filter((o) => !!o.email)
    .map((o) => {
      const codes = byOrder.get(o.id)!.sort((a, b) => a.expires_at.localeCompare(b.expires_at) || a.id.localeCompare(b.id))
      const key = createHash("sha256").update(codes.map((c) => c.id).join(",")).digest("hex").slice(0, 32)
      return {
        to: o.email!,
        channel: "email",
        template: VIRTUAL_GOODS_EXPIRY_REMINDER_TEMPLATE,
        idempotency_key: `virtual-goods-expiry-reminder:${o.id}:${key}`,
        resource_id: o.id,
        resource_type: "order",
        data: { order_id: o.id, display_id: o.display_id, locale: o.locale ?? null, codes: codes.map(({ id, mask, expires_at }) => ({ id, mask, expires_at })) },
      }
    })
  if (notifications.length) await container.resolve(Modules.NOTIFICATION).createNotifications(notifications)
  return new StepResponse({ sent: notifications.length })
})
