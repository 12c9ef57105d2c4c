// GET of a small JSON document (the provider's discovery document and key set) over node:http
// or node:https. Not global fetch: fetch, and even a WHATWG Headers object (which jose's
// createRemoteJWKSet builds), are undici, whose first use loads its JavaScript and a WebAssembly
// HTTP parser into the process for good: +10 MB RSS for Headers, +21 MB with one fetch
// (app/api/README.md, Benchmark), for one GET at the first token and one now and then.
import http from 'node:http';
import https from 'node:https';

export interface JsonAnswer {
  readonly status: number;
  /** The parsed body of a 200 answer; undefined for any other status. */
  readonly body: unknown;
}

export interface GetJsonOptions {
  /** The whole exchange, from connecting to the last byte. */
  readonly timeoutMs: number;
  readonly accept: string;
}

export type GetJson = (url: URL, options: GetJsonOptions) => Promise<JsonAnswer>;

/** A key set or discovery document is a few KB; anything past this is not one. */
const maxBytes = 1024 * 1024;

/** Redirects are not followed (a 3xx is an answer like any other non-200). */
export const getJson: GetJson = (url, { timeoutMs, accept }) =>
  new Promise<JsonAnswer>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!client) {
      reject(new Error(`${url.protocol} addresses are not supported`));
      return;
    }
    const request = client.get(url, { headers: { accept } });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    request.on('error', fail);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        clearTimeout(timer);
        resolve({ status, body: undefined });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) request.destroy(new Error(`the answer is larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        try {
          resolve({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        } catch (error) {
          reject(new Error(`the answer is not JSON: ${(error as Error).message}`));
        }
      });
    });
  });
