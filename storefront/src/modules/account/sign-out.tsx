"use client"

import { logout } from "@lib/data/customer"

export default function SignOut({ countryCode, label }: { countryCode: string; label: string }) {
  return (
    <button className="secondary" data-testid="sign-out" onClick={() => logout(countryCode)}>
      {label}
    </button>
  )
}
