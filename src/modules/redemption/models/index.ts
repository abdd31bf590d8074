export { VoucherProgram } from "./voucher-program"
export { Voucher } from "./voucher"
export { VoucherRedemption } from "./voucher-redemption"
