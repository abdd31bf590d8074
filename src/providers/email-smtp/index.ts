import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { SmtpEmailNotificationService } from "./service"

export default ModuleProvider(Modules.NOTIFICATION, {
  services: [SmtpEmailNotificationService],
})
