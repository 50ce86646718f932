/**
 * Scenario 5, the tutorial stack: Express and jsonwebtoken verifying the bank's token, written the
 * way the common tutorials write it (Bearer header, `jwt.verify` with a callback, `res.json`). It
 * checks what retirement checks that jsonwebtoken can express: algorithm, issuer, audience, expiry.
 */
import express, { type NextFunction, type Request, type Response } from 'express'
import jwt, { type JwtPayload } from 'jsonwebtoken'
import { benchServerEnv, exitOnSigterm } from './process-env.js'

const { port, secret } = benchServerEnv()
const app = express()

interface AuthedRequest extends Request {
  user?: JwtPayload
}

function authenticateToken (req: AuthedRequest, res: Response, next: NextFunction): void {
  const authHeader = req.headers.authorization
  const token = authHeader && authHeader.split(' ')[1]
  if (token == null) {
    res.sendStatus(401)
    return
  }
  jwt.verify(token, secret, {
    algorithms: ['HS256'],
    issuer: 'nestegg-bank',
    audience: 'nestegg-retirement',
    clockTolerance: 30
  }, (err, user) => {
    if (err || typeof user !== 'object' || user === null) {
      res.sendStatus(401)
      return
    }
    req.user = user
    next()
  })
}

app.get('/api/me', authenticateToken, (req: AuthedRequest, res) => {
  res.json({ id: req.user?.sub, username: req.user?.username, name: req.user?.name })
})
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' })
})

const server = app.listen(port, '127.0.0.1')
exitOnSigterm(() => new Promise((resolve) => server.close(resolve)))
