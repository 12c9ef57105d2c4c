import { mayPerform, rolesFrom } from '../src/auth/roles';

const mapping = { 'ecodata-editors': 'editor', 'ecodata-viewers': 'viewer' } as const;
const roles = (claims: Record<string, unknown>, roleClaim = 'groups') => [...rolesFrom(claims, { roleClaim, roleMapping: mapping })].sort();

describe('roles from the role claim', () => {
  it('reads an array of strings or a single string, ignoring values the mapping does not name', () => {
    expect(roles({ groups: ['staff', 'ecodata-viewers'] })).toEqual(['viewer']);
    expect(roles({ groups: 'ecodata-editors' })).toEqual(['editor']);
    expect(roles({ groups: ['ecodata-editors', 'ecodata-viewers'] })).toEqual(['editor', 'viewer']);
  });

  it('gives no role for a missing claim, other types, or values only similar to mapped ones', () => {
    expect(roles({})).toEqual([]);
    expect(roles({ groups: [1, null, { name: 'ecodata-editors' }] })).toEqual([]);
    expect(roles({ groups: 'ECODATA-EDITORS' })).toEqual([]);
    expect(roles({ groups: ['toString', '__proto__', 'constructor'] })).toEqual([]);
  });

  it('finds a claim whose name has dots first, else follows the dots into nested objects', () => {
    expect(roles({ 'https://ecodata.example.com/roles': ['ecodata-editors'] }, 'https://ecodata.example.com/roles')).toEqual(['editor']);
    expect(roles({ realm_access: { roles: ['ecodata-viewers'] } }, 'realm_access.roles')).toEqual(['viewer']);
    expect(roles({ realm_access: 'ecodata-viewers' }, 'realm_access.roles')).toEqual([]);
  });
});

describe('what a role may do', () => {
  it('lets viewers read, editors read and write, and nobody else anything', () => {
    expect([mayPerform('viewer', 'read'), mayPerform('viewer', 'write')]).toEqual([true, false]);
    expect([mayPerform('editor', 'read'), mayPerform('editor', 'write')]).toEqual([true, true]);
    expect([mayPerform(undefined, 'read'), mayPerform(undefined, 'write')]).toEqual([false, false]);
  });
});
