export * from "./steps"
export * from "./workflows"
export { paymentReconciliationModule } from "./utils/payment-reconciliation-module"
