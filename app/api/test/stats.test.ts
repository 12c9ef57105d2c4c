import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();

describe('GET /api/stats', () => {
  it('averages values whose sum would overflow a double (1e308 twice) instead of failing', async () => {
    for (const value of [1e308, 1e308, -1.7e308]) {
      await http().post('/api/measurements').send({ station: 's', kind: 'k', value }).expect(201);
    }
    const response = await http().get('/api/stats').expect(200);
    expect(response.body.items).toHaveLength(1);
    const item = response.body.items[0];
    expect(item).toMatchObject({ count: 3, min: -1.7e308, max: 1e308 });
    expect(item.avg / 1e307).toBeCloseTo(1, 12);
  });

  it('averages values whose squares would overflow (1e200 and -1e200), which avg() also fails on', async () => {
    for (const value of [1e200, -1e200, 3e200]) await http().post('/api/measurements').send({ station: 's', kind: 'k', value }).expect(201);
    const item = (await http().get('/api/stats').expect(200)).body.items[0];
    expect(item.avg / 1e200).toBeCloseTo(1, 12);
  });

  it('keeps the average of ordinary values exact to double precision', async () => {
    for (const value of [0.1, 0.2, 0.3]) await http().post('/api/measurements').send({ station: 's', kind: 'k', value }).expect(201);
    const item = (await http().get('/api/stats').expect(200)).body.items[0];
    expect(item.avg).toBeCloseTo(0.2, 15);
  });

  it('answers every read endpoint with 200 whatever extreme values are stored', async () => {
    for (const value of [Number.MAX_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 5e-324]) {
      await http().post('/api/measurements').send({ station: 'edge', kind: 'k', value }).expect(201);
    }
    await http().get('/api/stats').expect(200);
    await http().get('/api/stats?station=edge').expect(200);
    await http().get('/api/measurements').expect(200);
    await http().get('/api/measurements/export').expect(200);
  });
});
