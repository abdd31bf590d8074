"use client"

import { useActionState } from "react"
import { login, register } from "@lib/data/customer"

type Labels = { signIn: string; register: string; email: string; password: string; firstName: string; badLogin: string; exists: string }

const messageOf = (error: string | undefined, labels: Labels) => (error === "bad_login" ? labels.badLogin : error === "exists" ? labels.exists : error)

export default function AuthForms({ countryCode, next, labels }: { countryCode: string; next: string; labels: Labels }) {
  const [signInState, signIn, signingIn] = useActionState(login.bind(null, countryCode), null)
  const [registerState, signUp, signingUp] = useActionState(register.bind(null, countryCode), null)
  return (
    <div className="grid">
      <form action={signIn} className="card">
        <h2 style={{ marginTop: 0 }}>{labels.signIn}</h2>
        <input type="hidden" name="next" value={next} />
        <label htmlFor="login-email">{labels.email}</label>
        <input id="login-email" name="email" type="email" required autoComplete="email" data-testid="login-email" />
        <label htmlFor="login-password">{labels.password}</label>
        <input id="login-password" name="password" type="password" required autoComplete="current-password" data-testid="login-password" />
        <div className="actions">
          <button type="submit" disabled={signingIn} data-testid="login-submit">
            {labels.signIn}
          </button>
        </div>
        {signInState?.error ? <p className="error">{messageOf(signInState.error, labels)}</p> : null}
      </form>
      <form action={signUp} className="card">
        <h2 style={{ marginTop: 0 }}>{labels.register}</h2>
        <input type="hidden" name="next" value={next} />
        <label htmlFor="register-name">{labels.firstName}</label>
        <input id="register-name" name="first_name" autoComplete="given-name" data-testid="register-name" />
        <label htmlFor="register-email">{labels.email}</label>
        <input id="register-email" name="email" type="email" required autoComplete="email" data-testid="register-email" />
        <label htmlFor="register-password">{labels.password}</label>
        <input id="register-password" name="password" type="password" required minLength={8} autoComplete="new-password" data-testid="register-password" />
        <div className="actions">
          <button type="submit" disabled={signingUp} data-testid="register-submit">
            {labels.register}
          </button>
        </div>
        {registerState?.error ? <p className="error">{messageOf(registerState.error, labels)}</p> : null}
      </form>
    </div>
  )
}
