import type { Metadata, Viewport } from "next"
import { getLang } from "@lib/data/cookies"
import "./globals.css"

export const metadata: Metadata = { title: "Virtual goods store", description: "Digital codes delivered in seconds." }
export const viewport: Viewport = { width: "device-width", initialScale: 1 }

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const lang = await getLang()
  return (
    <html lang={lang}>
      <body>{children}</body>
    </html>
  )
}
