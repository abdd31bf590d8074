export * from "./workflows"
export * from "./steps"
export { runTopUpsOfOrder, advanceSupplierOrder, runSupplierOrdersTick } from "./utils/run-supplier-orders"
