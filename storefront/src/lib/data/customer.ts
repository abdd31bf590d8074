"use server"

import type { HttpTypes } from "@medusajs/types"
import { revalidatePath } from "next/cache"
import { redirect } from "next/navigation"
import { sdk } from "../config"
import { backendHeaders, getAuthToken, getCartId, removeAuthToken, setAuthToken } from "./cookies"
import { errorMessage, errorStatus } from "./errors"

export async function retrieveCustomer(): Promise<HttpTypes.StoreCustomer | null> {
  if (!(await getAuthToken())) return null
  try {
    const { customer } = await sdk.store.customer.retrieve({ fields: "id,email,first_name" }, await backendHeaders())
    return customer
  } catch {
    return null
  }
}

/** After signing in: the open cart becomes the customer's (their codes then land in their account). */
async function adoptCart() {
  const cartId = await getCartId()
  if (cartId) await sdk.store.cart.transferCart(cartId, {}, await backendHeaders()).catch(() => undefined)
}

export async function login(countryCode: string, _prev: { error?: string } | null, form: FormData): Promise<{ error?: string }> {
  const email = String(form.get("email") ?? "").trim()
  const password = String(form.get("password") ?? "")
  try {
    const token = await sdk.auth.login("customer", "emailpass", { email, password })
    if (typeof token !== "string") return { error: "bad_login" }
    await setAuthToken(token)
    await adoptCart()
  } catch (e) {
    return { error: errorStatus(e) === 401 ? "bad_login" : errorMessage(e) }
  }
  revalidatePath("/", "layout")
  redirect(String(form.get("next") || `/${countryCode}/account`))
}

export async function register(countryCode: string, _prev: { error?: string } | null, form: FormData): Promise<{ error?: string }> {
  const email = String(form.get("email") ?? "").trim()
  const password = String(form.get("password") ?? "")
  const firstName = String(form.get("first_name") ?? "").trim()
  try {
    const registration = await sdk.auth.register("customer", "emailpass", { email, password })
    await sdk.store.customer.create({ email, first_name: firstName || undefined }, {}, { ...(await backendHeaders()), authorization: `Bearer ${registration}` })
    const token = await sdk.auth.login("customer", "emailpass", { email, password })
    if (typeof token !== "string") return { error: "bad_login" }
    await setAuthToken(token)
    await adoptCart()
  } catch (e) {
    const message = errorMessage(e)
    return { error: /exist/i.test(message) ? "exists" : message }
  }
  revalidatePath("/", "layout")
  redirect(String(form.get("next") || `/${countryCode}/account`))
}

export async function logout(countryCode: string) {
  await removeAuthToken()
  revalidatePath("/", "layout")
  redirect(`/${countryCode}/account`)
}
