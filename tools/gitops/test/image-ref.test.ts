import { parseImageAssignments, parseImageRef, shortTag } from '../src/image-ref';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('image references', () => {
  test('a registry/owner/name:tag@sha256 reference is split into repository, tag and digest', () => {
    expect(parseImageRef(`ghcr.io/acme/ecodata-api:1a2b3c@${digest}`, 'api')).toEqual({
      raw: `ghcr.io/acme/ecodata-api:1a2b3c@${digest}`,
      repository: 'ghcr.io/acme/ecodata-api',
      tag: '1a2b3c',
      digest,
    });
  });

  test('a registry with a port is accepted', () => {
    expect(parseImageRef(`localhost:5000/ecodata-front:v1@${digest}`, 'front').repository).toBe('localhost:5000/ecodata-front');
  });

  test.each([
    ['no digest', 'ghcr.io/acme/ecodata-api:v1', /no @sha256/],
    ['no tag', `ghcr.io/acme/ecodata-api@${digest}`, /expected registry\/name:tag@sha256/],
    ['an uppercase digest', `ghcr.io/acme/ecodata-api:v1@sha256:${'AB'.repeat(32)}`, /invalid reference/],
    ['the latest tag', `ghcr.io/acme/ecodata-api:latest@${digest}`, /"latest" is not allowed/],
    ['no registry', `acme/ecodata-api:v1@${digest}`, /must name its registry/],
    ['another image name', `ghcr.io/acme/ecodata-front:v1@${digest}`, /expected "ecodata-api"/],
  ])('a reference with %s is rejected', (_case, ref, message) => {
    expect(() => parseImageRef(ref, 'api')).toThrow(message);
  });

  test('40-hex commit SHA tags are shortened to 12 characters, other tags are kept', () => {
    expect(shortTag('0123456789abcdef0123456789abcdef01234567')).toBe('0123456789ab');
    expect(shortTag('v1.2.3')).toBe('v1.2.3');
  });

  test('image assignments accept comma-separated and repeated name=ref pairs', () => {
    expect([...parseImageAssignments(['api=a,front=b', 'worker=c'])]).toEqual([['api', 'a'], ['front', 'b'], ['worker', 'c']]);
  });

  test.each([
    [['api'], /expected <name>=<reference>/],
    [['api=a,api=b'], /"api" is given twice/],
    [[], /at least one/],
  ])('image assignments %j are rejected', (values, message) => {
    expect(() => parseImageAssignments(values)).toThrow(message);
  });
});
