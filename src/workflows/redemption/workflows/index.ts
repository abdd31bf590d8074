export * from "./redeem-voucher"
export * from "./rollback-voucher-redemption"
export * from "./set-voucher-program"
