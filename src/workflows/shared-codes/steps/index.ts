export * from "./import-shared-codes"
export * from "./top-up-shared-codes"
export * from "./withdraw-shared-code"
export * from "./notify-shared-code-holders"
