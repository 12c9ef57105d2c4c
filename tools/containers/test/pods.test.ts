import path from 'node:path';
import { mainContainer, readDeployment } from '../src/manifests';
import { referencedSecrets } from '../src/pods';
import { parseArgs } from '../src/main';

const dist = path.join(__dirname, '..', '..', '..', 'dist');

describe('referencedSecrets', () => {
  it('finds the database Secret the dev API reads DATABASE_URL from', () => {
    const secrets = referencedSecrets([mainContainer(readDeployment(dist, 'dev', 'api'))], { DATABASE_URL: 'postgres://x@127.0.0.1:5/db' });
    expect([...secrets]).toEqual([['database-app', { uri: 'postgres://x@127.0.0.1:5/db' }]]);
  });

  it('refuses a secretKeyRef it has no value for', () => {
    expect(() => referencedSecrets([mainContainer(readDeployment(dist, 'dev', 'api'))], {})).toThrow(/database-app key uri/);
  });
});

describe('parseArgs', () => {
  it('requires both image references', () => {
    expect(() => parseArgs(['--api-image', 'a'])).toThrow(/--front-image/);
  });

  it('accepts one phase with --only and rejects an unknown one', () => {
    expect(parseArgs(['--api-image', 'a', '--front-image', 'f', '--only', 'pods']).phases).toEqual(['pods']);
    expect(() => parseArgs(['--api-image', 'a', '--front-image', 'f', '--only', 'all'])).toThrow(/--only/);
  });
});
