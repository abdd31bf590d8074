export * from "./sign-audit-checkpoint"
