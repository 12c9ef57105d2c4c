import { SealedCookie } from './sealed-cookie';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

describe('SealedCookie', () => {
  it('opens what it sealed, with the same secret in another instance (another replica)', async () => {
    const value = await new SealedCookie<{ sub: string }>(SECRET, 'session').seal({ sub: 'editor' }, inAMinute());
    await expect(new SealedCookie<{ sub: string }>(SECRET, 'session').open(value)).resolves.toEqual({ sub: 'editor' });
  });

  it('hides the payload: the value is a JWE with dir/A256GCM and no readable claim', async () => {
    const value = await new SealedCookie<{ token: string }>(SECRET, 'session').seal({ token: 'secret-access-token' }, inAMinute());
    const [header, ...rest] = value.split('.');
    expect(rest).toHaveLength(4);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(Buffer.from(value.replace(/\./g, ''), 'base64url').toString('latin1')).not.toContain('secret-access-token');
  });

  it('refuses a tampered value, another secret, another purpose and an expired value', async () => {
    const sealer = new SealedCookie<{ sub: string }>(SECRET, 'session');
    const value = await sealer.seal({ sub: 'editor' }, inAMinute());
    const parts = value.split('.');
    const ciphertext = Buffer.from(parts[3], 'base64url');
    ciphertext[0] ^= 1;
    parts[3] = ciphertext.toString('base64url');
    await expect(sealer.open(parts.join('.'))).resolves.toBeUndefined();
    await expect(new SealedCookie(`${SECRET}-other`, 'session').open(value)).resolves.toBeUndefined();
    await expect(new SealedCookie(SECRET, 'sign-in').open(value)).resolves.toBeUndefined();
    const expired = await sealer.seal({ sub: 'editor' }, Math.floor(Date.now() / 1000) - 1);
    await expect(sealer.open(expired)).resolves.toBeUndefined();
    await expect(sealer.open('not-a-jwe')).resolves.toBeUndefined();
    await expect(sealer.open(undefined)).resolves.toBeUndefined();
  });
});
