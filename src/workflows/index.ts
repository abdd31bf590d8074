export * from "./virtual-goods"
export * from "./agents/workflows"
export * from "./agents/wholesale"
