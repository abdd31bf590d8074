export * from "./workflows"
export * from "./steps"
export { runTopUpsOfOrder, submitTopUpsOfPaidOrder, advanceSupplierOrder, runSupplierOrdersTick } from "./utils/run-supplier-orders"
export { restockPoolsFromSuppliers } from "./utils/restock-pools"
