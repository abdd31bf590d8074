export { CodeCampaign } from "./code-campaign"
export { CodeCampaignGrant } from "./code-campaign-grant"
