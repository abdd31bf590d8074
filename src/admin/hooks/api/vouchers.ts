import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { VoucherProgram, VoucherProgramInput } from "../../types"
import type { Voucher, VoucherRedemption } from "../../routes/virtual-goods/counter/lib"

const BASE = "/admin/virtual-goods"

/** Checks a voucher by its code (changes nothing): its state and its ledger. A POST, so the code stays out of URLs. */
export const useValidateVoucher = () =>
  useMutation({ mutationFn: (code: string) => sdk.client.fetch<{ voucher: Voucher }>(`${BASE}/vouchers/validate`, { method: "POST", body: { code } }) })

/** Redeems a voucher once per `key` (a retry with the same key answers the same redemption). */
export const useRedeemVoucher = () =>
  useMutation({
    mutationFn: ({ code, amount, key }: { code: string; amount?: string; key: string }) =>
      sdk.client.fetch<{ redemption: VoucherRedemption; voucher: Voucher }>(`${BASE}/vouchers/redeem`, {
        method: "POST",
        body: amount ? { code, amount } : { code },
        headers: { "idempotency-key": key },
      }),
  })

/** Gives a redemption back with a reason (within its program's window). */
export const useRollbackRedemption = () =>
  useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      sdk.client.fetch<{ redemption: VoucherRedemption; voucher: Voucher | null }>(`${BASE}/voucher-redemptions/${id}/rollback`, { method: "POST", body: { reason } }),
  })

/** A pool's redemption program, or null when its codes are not redeemable vouchers. */
export const useVoucherProgram = (poolId: string) =>
  useQuery({
    queryKey: queryKeys.voucherPrograms.detail(poolId),
    queryFn: () => sdk.client.fetch<{ voucher_program: VoucherProgram | null }>(`${BASE}/pools/${poolId}/voucher-program`),
  })

/** Makes a pool's codes redeemable vouchers, or changes or disables its program. */
export const useSetVoucherProgram = (poolId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: VoucherProgramInput) =>
      sdk.client.fetch<{ voucher_program: VoucherProgram }>(`${BASE}/pools/${poolId}/voucher-program`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.voucherPrograms.all }),
  })
}
