// CopyIn on a real PostgreSQL: constant extra columns on every row, pieces and backpressure,
// and abort() leaving nothing behind.
import { CopyIn, copyText } from '../src/measurements/copy-in';
import { useTestApp } from './support/per-file';

const context = useTestApp();
const db = () => context().api.db;

beforeAll(async () => {
  await db().query({ text: 'CREATE TABLE copy_in_test (a text, b integer, who text, note text)' });
});

const copyIn = (extraColumns?: Record<string, string | null>) =>
  new CopyIn((work) => db().withTransaction(work), { table: 'copy_in_test', columns: ['a', 'b'], extraColumns, timeoutMs: 10_000, chunkChars: 1024 });

describe('CopyIn', () => {
  afterEach(async () => {
    await db().query({ text: 'TRUNCATE copy_in_test' });
  });

  it('writes every row in pieces, with the extra columns constant on each', async () => {
    const copy = copyIn({ who: 'tab\there \\ and\nline', note: null });
    for (let i = 0; i < 2000; i++) {
      copy.add(`${copyText(`row ${i}`)}\t${i}`);
      if (i % 100 === 0) await copy.flush();
    }
    await copy.finish();
    const { rows } = await db().query<{ n: string; whos: string; notes: string; total: string }>({
      text: 'SELECT count(*) AS n, count(DISTINCT who) AS whos, count(note) AS notes, sum(b) AS total FROM copy_in_test',
    });
    expect(rows[0]).toEqual({ n: '2000', whos: '1', notes: '0', total: String((1999 * 2000) / 2) });
    const { rows: who } = await db().query<{ who: string }>({ text: 'SELECT DISTINCT who FROM copy_in_test' });
    expect(who).toEqual([{ who: 'tab\there \\ and\nline' }]);
  });

  it('rolls everything back on abort(), after COPY has started', async () => {
    const copy = copyIn();
    for (let i = 0; i < 500; i++) copy.add(`x\t${i}`);
    await copy.flush();
    await copy.abort();
    expect((await db().query<{ n: string }>({ text: 'SELECT count(*) AS n FROM copy_in_test' })).rows[0].n).toBe('0');
  });

  it('opens no transaction without a row', async () => {
    const copy = new CopyIn(() => Promise.reject(new Error('must not be called')), { table: 'copy_in_test', columns: ['a'], timeoutMs: 1000 });
    await expect(copy.finish()).resolves.toBeUndefined();
  });

  it('keeps a database error for finish() and takes rows meanwhile', async () => {
    const copy = copyIn();
    copy.add('x\tnot-a-number');
    await copy.flush();
    for (let i = 0; i < 10; i++) copy.add(`y\t${i}`);
    await copy.flush();
    await expect(copy.finish()).rejects.toThrow(/invalid input syntax for type integer/);
    expect((await db().query<{ n: string }>({ text: 'SELECT count(*) AS n FROM copy_in_test' })).rows[0].n).toBe('0');
  });
});
