// Errors Node's HTTP parser answers by itself (before Koa runs) are problem+json too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientError } from '../src/http/client-error';

describe('errors from the HTTP parser', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    server.on('clientError', answerClientError);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers oversized headers with 431 problem+json', async () => {
    const response = await fetch(`${url}/api/measurements`, { headers: { 'x-big': 'x'.repeat(20_000) } });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 431, code: 'request_header_fields_too_large' });
  });

  it('answers a malformed request line with 400 problem+json', async () => {
    const net = await import('node:net');
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write('NOT A REQUEST\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('Content-Type: application/problem+json');
  });
});
