import "server-only"
import { randomUUID } from "crypto"
import { cookies, headers } from "next/headers"
import { LANG_COOKIE, langOf, type Lang } from "../i18n"

const AUTH_COOKIE = "_medusa_jwt"
const CART_COOKIE = "_medusa_cart_id"
const DEVICE_COOKIE = "_vg_device"
const RECEIPT_COOKIE = "_vg_receipt"

const cookieOptions = { httpOnly: true, sameSite: "strict" as const, secure: process.env.NODE_ENV === "production" && process.env.STOREFRONT_INSECURE_COOKIES !== "1", path: "/" }

/**
 * Headers every call to the backend carries: the customer's token (from an httpOnly cookie, never seen by the
 * browser's scripts), and who the shopper is — their IP and device — so that the backend's rate limits and risk rules
 * see each shopper, not this server. The backend believes `X-Forwarded-For` only from the proxies it trusts
 * (VIRTUAL_GOODS_TRUSTED_PROXIES: list this storefront's address there).
 */
export async function backendHeaders(): Promise<Record<string, string>> {
  const jar = await cookies()
  const incoming = await headers()
  const out: Record<string, string> = {}
  const token = jar.get(AUTH_COOKIE)?.value
  if (token) out.authorization = `Bearer ${token}`
  const ip = shopperIp(incoming)
  if (ip) out["x-forwarded-for"] = ip
  const device = jar.get(DEVICE_COOKIE)?.value
  if (device) out["x-device-id"] = device
  const ua = incoming.get("user-agent")
  if (ua) out["user-agent"] = ua
  return out
}

/**
 * The shopper's address, as the storefront's server (server.mjs) worked it out from the socket and the trusted proxies
 * in front of it — never a header a client chose. Absent under `next dev`: the backend then sees this server.
 */
function shopperIp(h: Headers): string | null {
  return h.get("x-vg-shopper-ip") || null
}

export async function getAuthToken(): Promise<string | null> {
  return (await cookies()).get(AUTH_COOKIE)?.value ?? null
}

export async function setAuthToken(token: string) {
  ;(await cookies()).set(AUTH_COOKIE, token, { ...cookieOptions, maxAge: 60 * 60 * 24 * 7 })
}

export async function removeAuthToken() {
  ;(await cookies()).set(AUTH_COOKIE, "", { ...cookieOptions, maxAge: -1 })
}

export async function getCartId(): Promise<string | null> {
  return (await cookies()).get(CART_COOKIE)?.value ?? null
}

export async function setCartId(id: string) {
  ;(await cookies()).set(CART_COOKIE, id, { ...cookieOptions, maxAge: 60 * 60 * 24 * 7 })
}

export async function removeCartId() {
  ;(await cookies()).set(CART_COOKIE, "", { ...cookieOptions, maxAge: -1 })
}

/** A stable id of this browser for the backend's device rules (random, httpOnly; set on the first server action). */
export async function ensureDeviceId() {
  const jar = await cookies()
  if (!jar.get(DEVICE_COOKIE)) jar.set(DEVICE_COOKIE, randomUUID(), { ...cookieOptions, maxAge: 60 * 60 * 24 * 365 })
}

/** The shopper's language: their choice (cookie), else their browser's. */
export async function getLang(): Promise<Lang> {
  const chosen = (await cookies()).get(LANG_COOKIE)?.value
  if (chosen) return langOf(chosen)
  return langOf((await headers()).get("accept-language"))
}

export async function setLang(lang: Lang) {
  ;(await cookies()).set(LANG_COOKIE, lang, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 })
}

/**
 * The receipt of this browser's checkout: a secret made when its cart is created (registered with the backend by
 * hash), kept here as `<cart or order id>.<secret>`. It opens the order's codes on its confirmation page.
 */
export async function getReceipt(): Promise<{ owner: string; secret: string } | null> {
  const raw = (await cookies()).get(RECEIPT_COOKIE)?.value
  const dot = raw ? raw.indexOf(".") : -1
  return raw && dot > 0 ? { owner: raw.slice(0, dot), secret: raw.slice(dot + 1) } : null
}

export async function setReceipt(owner: string, secret: string) {
  ;(await cookies()).set(RECEIPT_COOKIE, `${owner}.${secret}`, { ...cookieOptions, maxAge: 60 * 60 * 72 })
}
