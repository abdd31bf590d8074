"use strict"

/**
 * A local SMTP server that keeps what it receives, for the demo (its inbox page) and the tests (they parse what
 * arrives): smtp-server on loopback, each message parsed with mailparser. No authentication, no TLS, loopback only.
 *
 *   const catcher = await startMailCatcher({ port: 1025 })
 *   catcher.messages            // [{ id, from, to: [..], subject, text, html, date, raw }]
 *   await catcher.waitFor((m) => m.to.includes("a@b.c"))
 *   catcher.inboxHandler        // (req, res) for an HTTP server: the inbox as a page, /messages/:id one message
 *   await catcher.close()
 */

const http = require("http")

const escapeHtml = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c])

async function startMailCatcher({ port = 0, host = "127.0.0.1", max = 500 } = {}) {
  // Required here, not at the top: the demo loads this file before it installs the dependencies of a fresh clone.
  const { SMTPServer } = require("smtp-server")
  const { simpleParser } = require("mailparser")
  const messages = []
  const waiters = new Set()
  let seq = 0

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks = []
      stream.on("data", (c) => chunks.push(c))
      stream.on("end", async () => {
        try {
          const raw = Buffer.concat(chunks)
          const parsed = await simpleParser(raw)
          const message = {
            id: String(++seq),
            from: parsed.from?.text ?? session.envelope.mailFrom?.address ?? "",
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            date: new Date().toISOString(),
            raw: raw.toString("utf8"),
          }
          messages.push(message)
          if (messages.length > max) messages.shift()
          for (const w of [...waiters]) w(message)
          callback()
        } catch (e) {
          callback(e)
        }
      })
    },
  })
  await new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, host, () => {
      server.off("error", reject)
      resolve()
    })
  })

  /** The first message (already received or to come) that `predicate` accepts, or an error after `timeoutMs`. */
  function waitFor(predicate, timeoutMs = 20_000) {
    const found = messages.find(predicate)
    if (found) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const waiter = (m) => {
        if (!predicate(m)) return
        waiters.delete(waiter)
        clearTimeout(timer)
        resolve(m)
      }
      const timer = setTimeout(() => {
        waiters.delete(waiter)
        reject(new Error(`no matching email within ${timeoutMs} ms (${messages.length} received)`))
      }, timeoutMs)
      waiters.add(waiter)
    })
  }

  /** The inbox as HTML: the list at `/`, one message (its HTML part in a sandboxed frame) at `/messages/:id`. */
  function inboxHandler(req, res) {
    const url = new URL(req.url, "http://localhost")
    const one = url.pathname.match(/^\/messages\/(\d+)(\/html)?$/)
    res.setHeader("Cache-Control", "no-store")
    if (one) {
      const m = messages.find((x) => x.id === one[1])
      if (!m) {
        res.statusCode = 404
        return res.end("No such message")
      }
      if (one[2]) {
        res.setHeader("Content-Type", "text/html; charset=utf-8")
        res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        return res.end(m.html || `<pre>${escapeHtml(m.text)}</pre>`)
      }
      res.setHeader("Content-Type", "text/html; charset=utf-8")
      return res.end(
        `<!doctype html><meta charset="utf-8"><title>${escapeHtml(m.subject)}</title><body style="font-family:sans-serif;margin:16px">` +
          `<p><a href="/">← Inbox</a></p><h2>${escapeHtml(m.subject)}</h2><p>From ${escapeHtml(m.from)} to ${escapeHtml(m.to.join(", "))} · ${escapeHtml(m.date)}</p>` +
          `<iframe src="/messages/${m.id}/html" sandbox="allow-popups allow-popups-to-escape-sandbox" style="width:100%;height:70vh;border:1px solid #ddd"></iframe>` +
          `<details><summary>Text</summary><pre style="white-space:pre-wrap">${escapeHtml(m.text)}</pre></details></body>`
      )
    }
    if (url.pathname !== "/") {
      res.statusCode = 404
      return res.end("Not found")
    }
    res.setHeader("Content-Type", "text/html; charset=utf-8")
    const rows = [...messages]
      .reverse()
      .map((m) => `<tr><td>${escapeHtml(m.date.slice(0, 19).replace("T", " "))}</td><td>${escapeHtml(m.to.join(", "))}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject)}</a></td></tr>`)
      .join("")
    res.end(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Demo inbox</title><body style="font-family:sans-serif;margin:16px">` +
        `<h1>Demo inbox</h1><p>Every email the demo store sends arrives here (SMTP on ${escapeHtml(host)}:${server.server.address().port}); this page refreshes itself.</p>` +
        `<table cellpadding="6" style="border-collapse:collapse"><thead><tr><th align="left">Received (UTC)</th><th align="left">To</th><th align="left">Subject</th></tr></thead>` +
        `<tbody>${rows || '<tr><td colspan="3">No email yet: buy something in the store.</td></tr>'}</tbody></table></body>`
    )
  }

  return {
    port: server.server.address().port,
    host,
    messages,
    waitFor,
    inboxHandler,
    /** Serves the inbox on `httpPort`; resolves with the HTTP server. */
    serveInbox(httpPort, httpHost = host) {
      const web = http.createServer(inboxHandler)
      return new Promise((resolve, reject) => {
        web.once("error", reject)
        web.listen(httpPort, httpHost, () => resolve(web))
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

module.exports = { startMailCatcher }
