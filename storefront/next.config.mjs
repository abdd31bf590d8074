/**
 * The virtual-goods storefront. Nothing is fetched from the internet at build or run time: system fonts only
 * (no next/font/google), no remote images, telemetry off (NEXT_TELEMETRY_DISABLED in the scripts that run it).
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
  eslint: { ignoreDuringBuilds: true },
  // This folder is its own app (its own lockfile), not the plugin's workspace.
  outputFileTracingRoot: new URL(".", import.meta.url).pathname,
}

export default nextConfig
