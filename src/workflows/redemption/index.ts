export * from "./workflows"
export * from "./steps"
export { voucherCodeOf, assertNotExpired, type VoucherCode } from "./utils/voucher-code"
