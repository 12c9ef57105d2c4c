import { needsEditor, roleFromClaims } from './roles';

const mapping = { 'ecodata-editors': 'editor', 'ecodata-viewers': 'viewer' } as const;

describe('roleFromClaims', () => {
  it('maps an array claim to the strongest role it holds', () => {
    expect(roleFromClaims({ groups: ['ecodata-viewers', 'ecodata-editors'] }, 'groups', mapping)).toBe('editor');
    expect(roleFromClaims({ groups: ['other', 'ecodata-viewers'] }, 'groups', mapping)).toBe('viewer');
  });

  it('accepts a single string claim', () => {
    expect(roleFromClaims({ role: 'ecodata-viewers' }, 'role', mapping)).toBe('viewer');
  });

  it('gives no role for unmapped, missing or malformed claims, nor for inherited object keys', () => {
    expect(roleFromClaims({ groups: ['other'] }, 'groups', mapping)).toBeNull();
    expect(roleFromClaims({}, 'groups', mapping)).toBeNull();
    expect(roleFromClaims({ groups: { 'ecodata-editors': true } }, 'groups', mapping)).toBeNull();
    expect(roleFromClaims({ groups: ['constructor', '__proto__'] }, 'groups', mapping)).toBeNull();
  });
});

describe('needsEditor', () => {
  it('requires the editor role for every unsafe method and for the write forms', () => {
    expect(needsEditor('POST', '/measurements')).toBe(true);
    expect(needsEditor('GET', '/measurements/new')).toBe(true);
    expect(needsEditor('GET', '/measurements/12/edit')).toBe(true);
    expect(needsEditor('GET', '/measurements/12/delete')).toBe(true);
    expect(needsEditor('GET', '/import')).toBe(true);
  });

  it('lets readers list, chart and export', () => {
    for (const path of ['/measurements', '/measurements/export.csv', '/stations', '/']) expect(needsEditor('GET', path)).toBe(false);
  });
});
