// checkTextBody's shortcut for the two plain JSON Content-Types may only answer what type-is
// and content-type's parsing (checkMediaType) would; decodeUtf8 keeps a fatal TextDecoder's
// text and BOM rule.
import http from 'node:http';
import { Socket } from 'node:net';
import fc from 'fast-check';
import Koa from 'koa';
import { AppError } from '../errors';
import { checkMediaType, checkTextBody, isPlainType, tooLarge } from './body';
import { decodeUtf8 } from './utf8';

const app = new Koa();

function contextWith(headers: Record<string, string | undefined>): Koa.Context {
  const req = new http.IncomingMessage(new Socket());
  req.method = 'POST';
  req.url = '/api/measurements';
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) req.headers[name] = value;
  return app.createContext(req, new http.ServerResponse(req));
}

/** What checkTextBody answered before the shortcut: checkMediaType, then the length limit. */
function unshortened(ctx: Koa.Context, mediaType: string, limit: number): void {
  checkMediaType(ctx, mediaType);
  const length = ctx.request.length;
  if (length !== undefined && length > limit) throw tooLarge(limit);
}

function outcome(check: () => void): string {
  try {
    check();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return `${error.status} ${error.code} ${error.detail}`;
  }
}

const mediaTypes = ['application/json', 'text/csv'];
const contentType = fc.oneof(
  // The shortcut's own spellings, often enough that the comparison goes through it.
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/csv', 'text/csv; charset=utf-8'),
  fc.tuple(
    fc.constantFrom('application/json', 'Application/JSON', 'text/csv', 'TEXT/CSV', 'application/problem+json', 'application/jsonx', 'text/plain', 'application/json ', ''),
    fc.constantFrom('', '; charset=utf-8', ';charset=utf-8', '; charset=UTF-8', '; charset=utf8', '; charset="utf-8"', '; charset=latin1', '; charset=utf-8 ', '; charset=utf-8; q=1', '; foo=bar', ';', '; charset=utf-16'),
  ).map(([type, parameters]) => type + parameters),
  fc.string({ maxLength: 40 }),
  fc.constant(undefined),
);

describe('checkTextBody', () => {
  it('answers every Content-Type as type-is and content-type do', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...mediaTypes),
        contentType,
        fc.constantFrom(undefined, '0', '12', '5000', 'abc', ''),
        fc.constantFrom(undefined, 'chunked'),
        (mediaType, type, length, transferEncoding) => {
          const headers = { 'content-type': type, 'content-length': length, 'transfer-encoding': transferEncoding };
          if (isPlainType(type, mediaType)) shortcuts++;
          expect(outcome(() => checkTextBody(contextWith(headers), mediaType, 1000))).toBe(outcome(() => unshortened(contextWith(headers), mediaType, 1000)));
        },
      ),
      { numRuns: 5000 },
    );
    // The comparison must have gone through the shortcut, not only around it.
    expect(shortcuts).toBeGreaterThan(500);
  });

  it('takes the shortcut for exactly the two plain spellings', () => {
    expect(isPlainType('application/json', 'application/json')).toBe(true);
    expect(isPlainType('application/json; charset=utf-8', 'application/json')).toBe(true);
    expect(isPlainType('application/json; charset=UTF-8', 'application/json')).toBe(false);
    expect(isPlainType('application/json;charset=utf-8', 'application/json')).toBe(false);
    expect(isPlainType('application/jsonxxxxxxxxxxxxxxx', 'application/json')).toBe(false);
    expect(isPlainType(undefined, 'application/json')).toBe(false);
  });
});

describe('decodeUtf8', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true });

  it('gives a fatal TextDecoder’s text, byte-order mark dropped', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.string({ unit: 'binary', maxLength: 60 }), (bom, text) => {
        const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
        expect(decodeUtf8(bytes)).toBe(fatal.decode(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('drops one byte-order mark only', () => {
    expect(decodeUtf8(Buffer.from('\ufeff\ufeffa', 'utf8'))).toBe('\ufeffa');
    expect(decodeUtf8(Buffer.alloc(0))).toBe('');
  });
});
