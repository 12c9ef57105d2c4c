// The exact response headers (names, order, values) of the hot JSON paths, so a faster way of
// setting them (straight on node's response instead of through Koa's inference) changes nothing
// a client can see.
import http from 'node:http';
import { useTestApp } from './support/per-file';

const context = useTestApp();

/** Raw header [name, value] pairs in the order they were sent, with the variable ones masked. */
function rawHeaders(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: string[][] }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, context().baseUrl), {
      method,
      headers: { authorization: `Bearer ${context().token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        const pairs: string[][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const [name, value] = [res.rawHeaders[i], res.rawHeaders[i + 1]];
          pairs.push([name, /^(X-Request-Id|Date|Last-Modified)$/i.test(name) ? '*' : value]);
        }
        resolve({ status: res.statusCode ?? 0, headers: pairs });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = ['Content-Type', 'application/json; charset=utf-8'];
const tail = [['Date', '*'], ['Connection', 'keep-alive'], ['Keep-Alive', 'timeout=5']];

describe('response headers of the JSON paths', () => {
  it('are the same for create, read, 304, list and replace', async () => {
    const input = JSON.stringify({ station: 's', kind: 'k', value: 1, recordedAt: '2024-01-01T00:00:00.000Z' });
    const created = await rawHeaders('POST', '/api/measurements', input);
    expect(created).toEqual({
      status: 201,
      headers: [['X-Request-Id', '*'], ['Location', '/api/measurements/1'], ['ETag', '"1"'], json, ['Content-Length', '249'], ...tail],
    });
    expect(await rawHeaders('GET', '/api/measurements/1')).toEqual({
      status: 200,
      headers: [['X-Request-Id', '*'], ['ETag', '"1"'], ['Last-Modified', '*'], ['Cache-Control', 'no-cache'], json, ['Content-Length', '249'], ...tail],
    });
    expect(await rawHeaders('GET', '/api/measurements/1', undefined, { 'if-none-match': '"1"' })).toEqual({
      status: 304,
      headers: [['X-Request-Id', '*'], ['ETag', '"1"'], ['Last-Modified', '*'], ['Cache-Control', 'no-cache'], ...tail],
    });
    expect(await rawHeaders('GET', '/api/measurements')).toEqual({
      status: 200,
      headers: [['X-Request-Id', '*'], json, ['Content-Length', '279'], ...tail],
    });
    expect(await rawHeaders('PUT', '/api/measurements/1', input, { 'if-match': '"1"' })).toEqual({
      status: 200,
      headers: [['X-Request-Id', '*'], ['ETag', '"2"'], json, ['Content-Length', '249'], ...tail],
    });
  });

  it('are problem+json for an error after the handler set its headers', async () => {
    expect(await rawHeaders('GET', '/api/measurements/99')).toEqual({
      status: 404,
      headers: [['X-Request-Id', '*'], ['Content-Type', 'application/problem+json'], ['Content-Length', expect.any(String)], ...tail],
    });
  });
});
