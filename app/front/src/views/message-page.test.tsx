import { PAGE, renderElements, textOf } from '../../test/support/html';
import { MessagePage } from './message-page';

describe('MessagePage', () => {
  it('shows the title as the heading, the message, and a retry link when given one', () => {
    const { elements } = renderElements(
      <MessagePage page={{ ...PAGE, status: { ...PAGE.status, apiVersion: null, apiHealth: 'down' } }}
        title="The measurements service is unavailable" message="Try later." retryHref="/stations?station=a" />,
    );
    expect(elements.find((e) => e.tag === 'h1')?.text).toBe('The measurements service is unavailable');
    expect(elements.find((e) => e.tag === 'a' && e.text === 'Try again')?.attrs.href).toBe('/stations?station=a');
    expect(elements.find((e) => e.tag === 'title')?.text).toBe('The measurements service is unavailable · EcoData');
    const footer = elements.find((e) => e.tag === 'footer')?.text ?? '';
    expect(footer).toContain('API unreachable');
    expect(footer).toContain('unknown');
    expect(textOf(elements)).toContain('Try later.');
  });
});
