// The issuer's signing keys: downloaded with getJson (node:http/https) and matched by jose's
// createLocalJWKSet. It keeps the rules of jose's createRemoteJWKSet, which is not used because
// it needs global fetch and Headers (undici: +21 MB RSS for good, get-json.ts says why):
// - the set is downloaded on first use and again once it is older than `maxAgeMs`;
// - a token whose key is not in the set downloads it again, at most once per `cooldownMs`
//   (a rotated key is found at once, a stream of forged kids cannot hammer the provider);
// - one download at a time; concurrent verifications wait for it.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { getJson as defaultGetJson, type GetJson } from './get-json';

export interface RemoteKeySetOptions {
  /** Minimum time between downloads caused by an unknown key. @default 30000 */
  readonly cooldownMs?: number;
  /** A set older than this is downloaded again before it is used. @default 600000 */
  readonly maxAgeMs?: number;
  /** @default 5000 */
  readonly timeoutMs?: number;
  /** @default getJson */
  readonly getJson?: GetJson;
  /** Called after each download that replaced the set. */
  readonly onDownload?: () => void;
}

export interface RemoteKeySet {
  readonly getKey: JWTVerifyGetKey;
  /** Whether the set in use is younger than maxAgeMs (false before the first download). */
  readonly fresh: boolean;
}

export function remoteKeySet(url: URL, options: RemoteKeySetOptions = {}): RemoteKeySet {
  const cooldownMs = options.cooldownMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const get = options.getJson ?? defaultGetJson;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let downloadedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;

  const youngerThan = (ms: number) => Date.now() < downloadedAt + ms;

  const download = async (): Promise<void> => {
    const answer = await get(url, { timeoutMs, accept: 'application/json, application/jwk-set+json' });
    if (answer.status !== 200) throw new errors.JOSEError(`Expected 200 OK from the JSON Web Key Set HTTP response, got ${answer.status}`);
    // Throws JWKSInvalid for anything that is not a key set.
    local = createLocalJWKSet(answer.body as JSONWebKeySet);
    downloadedAt = Date.now();
    options.onDownload?.();
  };
  const reload = async (): Promise<ReturnType<typeof createLocalJWKSet>> => {
    pending ??= download().finally(() => {
      pending = undefined;
    });
    await pending;
    if (!local) throw new Error('unreachable: a download that succeeded set the key set');
    return local;
  };

  return {
    get fresh() {
      return local !== undefined && youngerThan(maxAgeMs);
    },
    async getKey(header, token) {
      const set = local && youngerThan(maxAgeMs) ? local : await reload();
      try {
        return await set(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey && !youngerThan(cooldownMs)) return (await reload())(header, token);
        throw error;
      }
    },
  };
}
