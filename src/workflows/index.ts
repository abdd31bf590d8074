export * from "./virtual-goods"
