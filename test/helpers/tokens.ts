import { SignJWT } from 'jose';

/** A customer's (or any caller's) HS256 token for a gateway with this JWT_SECRET: `sub`, `scope`, issued now. */
export function signedToken(secret: string, sub: string, scope = 'stamps:read', expiresIn: string | number = '5m'): Promise<string> {
  return new SignJWT({ sub, scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
