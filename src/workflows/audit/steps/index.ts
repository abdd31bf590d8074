export * from "./create-audit-checkpoint"
export * from "./export-audit-checkpoint"
