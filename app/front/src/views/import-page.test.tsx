import { expectNoInjectedMarkup, HOSTILE, PAGE, renderElements, textOf } from '../../test/support/html';
import { ImportPage } from './import-page';

describe('ImportPage', () => {
  it('offers a multipart upload form with a file input and a text area, protected by the CSRF token', () => {
    const { elements } = renderElements(<ImportPage page={PAGE} />);
    expect(elements.find((e) => e.tag === 'form' && e.attrs.action !== '/auth/sign-out')?.attrs).toMatchObject({ method: 'post', action: '/import', enctype: 'multipart/form-data' });
    expect(elements.find((e) => e.attrs.name === 'file')?.attrs.type).toBe('file');
    expect(elements.find((e) => e.tag === 'textarea')?.attrs.name).toBe('csv');
    expect(elements.find((e) => e.attrs.name === '_csrf')?.attrs.value).toBe('test-csrf-token');
  });

  it('reports every bad line with its number, column, message and content, and keeps the CSV for fixing', () => {
    const csv = 'station,kind,value,unit,recordedAt\na,t,1,,\nb,t,oops,,\nc,t,2,,yesterday\n';
    const { elements } = renderElements(
      <ImportPage page={PAGE} csv={csv} fileName="data.csv" lineErrors={[
        { line: 3, field: 'value', message: 'value must be a number' },
        { line: 4, field: 'recordedAt', message: 'recordedAt must be an ISO 8601 date' },
      ]} />,
    );
    const rows = elements.filter((e) => e.tag === 'tr').slice(1).map((row) => row.text);
    expect(rows).toEqual(['3valuevalue must be a numberb,t,oops,,', '4recordedAtrecordedAt must be an ISO 8601 datec,t,2,,yesterday']);
    expect(textOf(elements)).toContain('Nothing was imported: 2 problems in data.csv');
    expect(elements.find((e) => e.tag === 'textarea')?.text).toBe(csv);
  });

  it('says how many problems there are in all when the API lists only the first ones', () => {
    const { elements } = renderElements(
      <ImportPage page={PAGE} csv="station,kind,value,unit,recordedAt\na,t,x,,\n" totalErrors={250}
        lineErrors={[{ line: 2, field: 'value', message: 'must be a decimal number' }]} />,
    );
    expect(textOf(elements)).toContain('Nothing was imported: 250 problems');
    expect(textOf(elements)).toContain('The first 1 are listed below.');
  });

  it('carries the idempotency key of the form it was rendered with', () => {
    const { elements } = renderElements(<ImportPage page={PAGE} idempotencyKey="0b9f1f8e-8d1c-4d4f-9a59-3a2f2f0c6b11" />);
    expect(elements.find((e) => e.attrs.name === 'idempotencyKey')?.attrs).toMatchObject({ type: 'hidden', value: '0b9f1f8e-8d1c-4d4f-9a59-3a2f2f0c6b11' });
  });

  it('escapes hostile CSV content, file names and messages, even one closing the text area', () => {
    const csv = `station,kind,value,unit,recordedAt\n${HOSTILE.join('\n')}`;
    const { elements } = renderElements(
      <ImportPage page={PAGE} csv={csv} fileName={HOSTILE[1]} message={HOSTILE[0]}
        lineErrors={HOSTILE.map((message, i) => ({ line: i + 2, field: HOSTILE[4], message }))} />,
    );
    expectNoInjectedMarkup(elements);
    expect(elements.find((e) => e.tag === 'textarea')?.text).toBe(csv);
  });
});
