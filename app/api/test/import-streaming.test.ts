// The streamed CSV import (body -> UTF-8 check -> validator -> COPY while reading): a file
// refused after COPY has started writes nothing and the transaction is over before the answer;
// limits, encoding errors and Idempotency-Key hold for bodies that arrive in many chunks.
import http from 'node:http';
import { useTestApp } from './support/per-file';

const limit = 2_000_000;
const context = useTestApp({ csvBodyLimitBytes: limit });
const header = 'station,kind,value,unit,recordedAt';
const count = async () => Number((await context().api.db.query<{ n: string }>({ text: 'SELECT count(*) AS n FROM measurements' })).rows[0].n);
// Backends of the app still inside a transaction (an open COPY, an aborted transaction...).
const openTransactions = async () =>
  Number(
    (
      await context().api.db.query<{ n: string }>({
        text: "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'ecodata-api' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()",
      })
    ).rows[0].n,
  );

/** `rows` valid lines (~60 bytes each), numbered from line 2. */
const validRows = (rows: number, from = 0) => Array.from({ length: rows }, (_, i) => `s-${(from + i) % 7},t,${i},c,2024-01-01T00:00:00.000Z`);

interface Answer {
  status: number;
  body: { code?: string; errors?: Array<{ line?: number; field?: string }>; imported?: number };
}

/** POSTs `chunks` one write each, chunked transfer encoding (no Content-Length), with a pause between some. */
function postChunks(chunks: readonly Buffer[], headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL('/api/measurements/import', context().baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${context().token}`, 'content-type': 'text/csv', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (piece: string) => (text += piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    // The server may answer (413) and close before the whole body is sent.
    req.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    (async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (req.destroyed) return;
        req.write(chunk);
        if (i % 8 === 0) await new Promise((wait) => setImmediate(wait));
      }
      req.end();
    })().catch(reject);
  });
}

const inPieces = (text: string | Buffer, size = 16_384) => {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
};

describe('streamed CSV import', () => {
  it('imports a file that arrives in many chunks', async () => {
    const answer = await postChunks(inPieces(`${[header, ...validRows(20_000)].join('\n')}\n`));
    expect(answer).toEqual({ status: 201, body: { imported: 20_000 } });
    expect(await count()).toBe(20_000);
  });

  it('writes nothing when a bad line comes after COPY has started, and ends the transaction before answering', async () => {
    // ~1.2 MB of valid rows reach COPY before line 20,002 is read.
    const csv = [header, ...validRows(20_000), 'bad,t,not-a-number,c,', ...validRows(10)].join('\n');
    const answer = await postChunks(inPieces(csv));
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('invalid_csv');
    expect(answer.body.errors).toEqual([{ line: 20_002, field: 'value', message: 'must be a decimal number' }]);
    expect(await openTransactions()).toBe(0);
    expect(await count()).toBe(0);
  });

  it('refuses a byte that is not UTF-8 late in the file with its line, and writes nothing', async () => {
    const before = Buffer.from(`${[header, ...validRows(20_000)].join('\n')}\ncaf`);
    const body = Buffer.concat([before, Buffer.from([0xe9]), Buffer.from(',t,1,c,\n')]);
    // Cut inside the multi-byte-free region and right before the bad byte.
    const answer = await postChunks([...inPieces(body.subarray(0, before.length)), body.subarray(before.length)]);
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('invalid_encoding');
    expect(answer.body.errors).toEqual([{ line: 20_002, message: expect.stringMatching(/UTF-8/) }]);
    expect(await openTransactions()).toBe(0);
    expect(await count()).toBe(0);
  });

  it('stores UTC timestamps passed to COPY as written (0-3 fraction digits) as the same instant', async () => {
    const written = ['1900-01-01T00:00:00Z', '2024-02-28T23:59:59.9Z', '2024-03-01T12:00:00.12Z', '9999-12-28T23:59:59.999Z', '2024-01-31T00:00:00.5Z'];
    const csv = [header, ...written.map((at, i) => `s,t,${i},,${at}`)].join('\n');
    expect(await postChunks([Buffer.from(csv)])).toEqual({ status: 201, body: { imported: written.length } });
    const { rows } = await context().api.db.query<{ value: number; at: Date }>({ text: 'SELECT value, recorded_at AS at FROM measurements ORDER BY value' });
    expect(rows.map((row) => [row.value, row.at.toISOString()])).toEqual(written.map((at, i) => [i, new Date(at).toISOString()]));
  });

  it('decodes a character cut between two chunks', async () => {
    const body = Buffer.from(`${header}\nstation-\u00e9\u20ac\u{1F600},t,1,c,\n`);
    const at = body.indexOf(0xe2) + 1;
    const answer = await postChunks([body.subarray(0, at), body.subarray(at, at + 1), body.subarray(at + 1)]);
    expect(answer).toEqual({ status: 201, body: { imported: 1 } });
    const { rows } = await context().api.db.query<{ station: string }>({ text: 'SELECT station FROM measurements' });
    expect(rows).toEqual([{ station: 'station-\u00e9\u20ac\u{1F600}' }]);
  });

  it('answers 413 as soon as a body without Content-Length passes the limit, and writes nothing', async () => {
    const answer = await postChunks(inPieces(`${[header, ...validRows(60_000)].join('\n')}\n`));
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe('payload_too_large');
    expect(await openTransactions()).toBe(0);
    expect(await count()).toBe(0);
  });

  it('writes nothing when the client goes away mid-body, and keeps working', async () => {
    const url = new URL('/api/measurements/import', context().baseUrl);
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${context().token}`, 'content-type': 'text/csv' } });
    req.on('error', () => undefined);
    for (const piece of inPieces(`${[header, ...validRows(20_000)].join('\n')}\n`).slice(0, 40)) req.write(piece);
    await waitFor(async () => (await openTransactions()) > 0);
    req.destroy();
    await waitFor(async () => (await openTransactions()) === 0);
    expect(await count()).toBe(0);
    expect(await postChunks(inPieces(`${[header, ...validRows(3)].join('\n')}\n`))).toEqual({ status: 201, body: { imported: 3 } });
  });

  it('replays a large import for the same Idempotency-Key and refuses another file with it', async () => {
    const file = `${[header, ...validRows(20_000)].join('\n')}\n`;
    const key = { 'idempotency-key': '"big-import"' };
    expect(await postChunks(inPieces(file), key)).toEqual({ status: 201, body: { imported: 20_000 } });
    expect(await postChunks(inPieces(file, 7_000), key)).toEqual({ status: 201, body: { imported: 20_000 } });
    const other = await postChunks(inPieces(`${file}s,t,1,c,\n`), key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await count()).toBe(20_000);
  });

  it('rolls back an import with an Idempotency-Key refused for a bad line, so the key stays free', async () => {
    const key = { 'idempotency-key': '"fix-and-retry"' };
    const bad = await postChunks(inPieces([header, ...validRows(20_000), ',t,1,c,'].join('\n')), key);
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('invalid_csv');
    expect(await openTransactions()).toBe(0);
    expect(await count()).toBe(0);
    expect(await postChunks(inPieces(`${[header, ...validRows(5)].join('\n')}\n`), key)).toEqual({ status: 201, body: { imported: 5 } });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
