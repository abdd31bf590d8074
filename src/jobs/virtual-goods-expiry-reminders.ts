import { MedusaContainer } from "@medusajs/framework/types"
import { sendExpiryRemindersWorkflow } from "../workflows/virtual-goods/workflows/send-expiry-reminders"
import { runOncePerTick } from "../utils/once-per-tick"

/** Every hour: buyers are reminded, once per code, of unused codes that expire within `expiry_reminder_days`. */
export default async function virtualGoodsExpiryReminders(container: MedusaContainer) {
  await runOncePerTick(container, config, () => sendExpiryRemindersWorkflow(container).run({ input: {} }))
}

export const config = {
  name: "virtual-goods-expiry-reminders",
  schedule: "17 * * * *",
}
