export * from "./prepare-card-code-pick"
export * from "./reserve-picked-code"
export * from "./label-pickable-codes"
export * from "./validate-card-pool-pick"
