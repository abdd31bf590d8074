export * from "./create-code-campaign"
export * from "./update-code-campaign"
export * from "./issue-campaign-code"
