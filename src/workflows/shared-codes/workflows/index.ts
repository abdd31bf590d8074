export * from "./add-shared-codes"
export * from "./withdraw-shared-code"
