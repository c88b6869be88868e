import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The committed API types are what the aggregator's OpenAPI document generates today (needs the aggregator built). */
describe('generated API types', () => {
  it('sdk/generated/aggregator-openapi.d.ts is not stale (else: npm run generate -w @tributary/sdk)', () => {
    const check = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'generate-api-types.js'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 60_000);
});
