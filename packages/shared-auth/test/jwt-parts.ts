/** Reads a JWT's header and payload without verifying, to assert what was signed. */
export function decodeJwtParts (token: string): { header: Record<string, any>, payload: Record<string, any> } {
  const [header = '', payload = ''] = token.split('.')
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  }
}
