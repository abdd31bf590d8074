import { CAPTURE_FAILED_PREFIX, paymentOfCaptureFailure } from "../capture-order-payments"

describe("a held order's reason written by a failed capture", () => {
  it("names the payment; other reasons name none", () => {
    expect(paymentOfCaptureFailure(`${CAPTURE_FAILED_PREFIX} pay_01ABC: An error occurred in capturePayment: Your card was declined.`)).toBe("pay_01ABC")
    expect(paymentOfCaptureFailure("Out of stock: cpool_1 (requested 1, available 0)")).toBeNull()
    expect(paymentOfCaptureFailure(`${CAPTURE_FAILED_PREFIX} : nothing`)).toBeNull()
    expect(paymentOfCaptureFailure(`note: ${CAPTURE_FAILED_PREFIX} pay_1: x`)).toBeNull()
  })
})
