// What each role is offered: a viewer sees no add, edit, delete or import control anywhere.
import { measurement, PAGE, renderElements, textOf, VIEWER_PAGE } from '../../test/support/html';
import { DeletePage } from './delete-page';
import { MeasurementFormPage, valuesOf } from './measurement-form-page';
import { MeasurementsPage } from './measurements-page';
import { StationsPage } from './stations-page';

const NO_FILTER = { station: '', kind: '', from: '', to: '' };
const WRITE_HREF = /^\/(measurements\/new|import|measurements\/[^/]+\/(edit|delete))$/;

function list(page = PAGE, items = [measurement()]) {
  return renderElements(<MeasurementsPage page={page} filter={NO_FILTER} order="desc" items={items} nextCursor={null} />).elements;
}

describe('pages by role', () => {
  it('offers an editor the add, import, edit and delete links', () => {
    const hrefs = list().filter((e) => e.tag === 'a').map((e) => e.attrs.href);
    expect(hrefs).toEqual(expect.arrayContaining(['/measurements/new', '/import', '/measurements/42/edit', '/measurements/42/delete']));
  });

  it('offers a viewer no write link and no form but the filter and sign-out', () => {
    for (const elements of [
      list(VIEWER_PAGE),
      renderElements(<StationsPage page={VIEWER_PAGE} series={[]} omitted={0} pointsPerChart={100} />).elements,
    ]) {
      expect(elements.filter((e) => e.tag === 'a' && WRITE_HREF.test(e.attrs.href ?? ''))).toEqual([]);
      const forms = elements.filter((e) => e.tag === 'form').map((e) => `${e.attrs.method} ${e.attrs.action}`);
      expect(forms.every((f) => f === 'post /auth/sign-out' || f === 'get /measurements')).toBe(true);
    }
    expect(textOf(list(VIEWER_PAGE, []))).toContain('No measurements yet.');
    expect(textOf(list(VIEWER_PAGE, []))).not.toContain('Add one');
  });

  it('shows who is signed in, with their role, and a sign-out button that carries the CSRF token', () => {
    const elements = list(VIEWER_PAGE);
    expect(textOf(elements)).toContain('Signed in as Vera Viewer (viewer, read only)');
    const signOut = elements.find((e) => e.tag === 'form' && e.attrs.action === '/auth/sign-out');
    expect(signOut?.attrs.method).toBe('post');
    expect(elements.find((e) => e.tag === 'input' && e.attrs.name === '_csrf')?.attrs.value).toBe('test-csrf-token');
    expect(elements.some((e) => e.tag === 'button' && e.text === 'Sign out')).toBe(true);
  });

  it('offers a visitor a sign-in link instead', () => {
    const elements = list({ ...VIEWER_PAGE, user: undefined });
    expect(elements.some((e) => e.tag === 'a' && e.attrs.href === PAGE.signInHref && e.text === 'Sign in')).toBe(true);
    expect(elements.some((e) => e.tag === 'form' && e.attrs.action === '/auth/sign-out')).toBe(false);
  });

  it('names who added and last changed a measurement, and says "before sign-in" for older rows', () => {
    const audited = measurement({ createdBy: 'editor', updatedBy: 'station-uploader' });
    const old = measurement({ id: '7', createdBy: null, updatedBy: null });
    const cells = list(PAGE, [audited, old]).filter((e) => e.tag === 'td' && e.attrs.class === 'author').map((e) => e.text);
    expect(cells).toEqual(['station-uploader', 'before sign-in']);
    expect(textOf(renderElements(<DeletePage page={PAGE} measurement={audited} />).elements)).toMatch(/Added by\s*editor.*Last changed by\s*station-uploader/s);
    const edit = textOf(renderElements(<MeasurementFormPage page={PAGE} values={valuesOf(old)} edit={{ id: '7', version: 3 }} stored={old} />).elements);
    expect(edit).toMatch(/Added by\s*before sign-in/);
  });
});
