import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';

/**
 * Seals small JSON payloads into cookie values: a JWE (`dir` + A256GCM, jose) whose key is
 * derived from SESSION_SECRET with HKDF, one key per purpose. AES-GCM encrypts (tokens never
 * leave the server readable) and authenticates (a changed byte fails to open), so the cookie is
 * both encrypted and signed; `exp` bounds how long a stolen or kept copy is accepted. Every
 * replica derives the same key from the shared secret: no session store is needed.
 */
export class SealedCookie<T extends object> {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly purpose: string) {
    this.key = new Uint8Array(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `ecodata-front ${purpose}`, 32));
  }

  /** The sealed value, valid until `expiresAt` (seconds since the epoch). */
  async seal(payload: T, expiresAt: number): Promise<string> {
    return new EncryptJWT({ p: payload } as unknown as JWTPayload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .setAudience(this.purpose)
      .encrypt(this.key);
  }

  /** The payload, or undefined when the value is missing, expired, tampered with or from another purpose. */
  async open(value: string | undefined): Promise<T | undefined> {
    if (!value) return undefined;
    try {
      const { payload } = await jwtDecrypt(value, this.key, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        audience: this.purpose,
      });
      return (payload as { p?: T }).p;
    } catch {
      return undefined;
    }
  }
}
