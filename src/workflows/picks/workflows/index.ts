export * from "./pick-card-code"
export * from "./label-pickable-codes"
