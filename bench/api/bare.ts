// The ceiling: node:http + pg doing the same queries as the API (same-sql.ts), with no
// framework, validation, logging or metrics. Started by run.ts as its own process.
import http from 'node:http';
import { byId, firstPage, insert, pool } from './same-sql';

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = req.url ?? '/';
    if (req.method === 'GET' && url.startsWith('/api/measurements/')) {
      const found = await byId(url.slice(18));
      return found ? send(res, 200, found) : send(res, 404, { error: 'not found' });
    }
    if (req.method === 'GET' && url.startsWith('/api/measurements')) return send(res, 200, await firstPage());
    if (req.method === 'POST' && url === '/api/measurements') {
      let text = '';
      for await (const chunk of req) text += chunk;
      return send(res, 201, await insert(text));
    }
    send(res, 404, { error: 'not found' });
  } catch (error) {
    send(res, 500, { error: String(error) });
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
