export * from "./steps"
export * from "./workflows"
export { runCampaignsFor } from "./utils/run-campaigns"
