"use strict"

const http = require("http")

/** Whether a Medusa server on `port` (loopback) answers `GET /health` with 200 within two seconds. */
const health = (port) =>
  new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/health", timeout: 2000 }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on("error", () => resolve(false))
    req.on("timeout", () => {
      req.destroy()
      resolve(false)
    })
  })

module.exports = { health }
