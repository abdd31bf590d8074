import Nav from "@modules/layout/nav"

export default async function CountryLayout({ children, params }: { children: React.ReactNode; params: Promise<{ countryCode: string }> }) {
  const { countryCode } = await params
  return (
    <>
      <Nav countryCode={countryCode} />
      <main>{children}</main>
    </>
  )
}
