import { NextResponse, type NextRequest } from "next/server"

const DEFAULT_COUNTRY = (process.env.NEXT_PUBLIC_DEFAULT_REGION || "us").toLowerCase()

/**
 * Every page lives under a country (`/us/…`, `/cn/…`), as in Medusa's starters: a path without one is sent to the
 * default country's. The guest reveal page (`/virtual-goods/reveal/…`, the link in the email) stands alone.
 */
export function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl
  if (pathname.startsWith("/virtual-goods/") || /^\/[a-z]{2}(\/|$)/.test(pathname)) return NextResponse.next()
  const url = request.nextUrl.clone()
  url.pathname = `/${DEFAULT_COUNTRY}${pathname === "/" ? "" : pathname}`
  return NextResponse.redirect(url, 307)
}

export const config = { matcher: ["/((?!_next/|api/|favicon.ico|.*\\.[a-z0-9]+$).*)"] }
