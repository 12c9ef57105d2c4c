import { expectNoInjectedMarkup, HOSTILE, measurement, PAGE, renderElements, textOf } from '../../test/support/html';
import { DeletePage } from './delete-page';

describe('DeletePage', () => {
  it('asks for confirmation with a form that posts the id, version and CSRF token', () => {
    const { elements } = renderElements(<DeletePage page={PAGE} measurement={measurement()} />);
    expect(elements.find((e) => e.tag === 'form' && e.attrs.action !== '/auth/sign-out')?.attrs).toMatchObject({ method: 'post', action: '/measurements/42/delete' });
    expect(elements.find((e) => e.attrs.name === 'version')?.attrs.value).toBe('3');
    expect(elements.find((e) => e.attrs.name === '_csrf')?.attrs.value).toBe('test-csrf-token');
    expect(textOf(elements)).toContain('21.5 °C');
    expect(textOf(elements)).not.toContain('Someone changed');
  });

  it('warns when the measurement changed since the confirmation was shown', () => {
    const { elements } = renderElements(<DeletePage page={PAGE} measurement={measurement({ version: 5 })} changedMeanwhile />);
    expect(textOf(elements)).toContain('Someone changed this measurement after you opened the confirmation (now version 5)');
  });

  it('escapes hostile values', () => {
    const { elements } = renderElements(<DeletePage page={PAGE} measurement={measurement({ station: HOSTILE[0], kind: HOSTILE[1], unit: HOSTILE[4] })} />);
    expectNoInjectedMarkup(elements);
    expect(textOf(elements)).toContain(HOSTILE[0]);
  });
});
