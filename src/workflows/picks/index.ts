export * from "./steps"
export * from "./workflows"
export * from "./utils/pick-rule"
export * from "./utils/picked-price"
