import { safeReturnTo, signInHref } from './return-to';

describe('safeReturnTo', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturnTo('/measurements?station=a&kind=b')).toBe('/measurements?station=a&kind=b');
    expect(safeReturnTo('/stations')).toBe('/stations');
  });

  it('refuses anything that could leave the site or loop through sign-in', () => {
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', '/a\\b', '/x\ny', '/auth/sign-in', 42, undefined]) {
      expect(safeReturnTo(bad)).toBe('/measurements');
    }
  });

  it('builds the sign-in link with the path encoded', () => {
    expect(signInHref('/measurements?station=a&kind=b')).toBe('/auth/sign-in?returnTo=%2Fmeasurements%3Fstation%3Da%26kind%3Db');
  });
});
