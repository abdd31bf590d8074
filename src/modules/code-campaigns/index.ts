import { Module } from "@medusajs/framework/utils"
import CodeCampaignsModuleService from "./service"

export const CODE_CAMPAIGNS_MODULE = "code_campaigns"

export default Module(CODE_CAMPAIGNS_MODULE, {
  service: CodeCampaignsModuleService,
})
