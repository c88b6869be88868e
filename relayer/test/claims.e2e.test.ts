import { DataSource } from 'typeorm';
import { relayerDataSourceOptions } from '../src/database/database.module';
import { DurableStore } from '../src/database/durable-store';
import { loadAppConfig } from '../src/config/app-config';
import { PacketRepository } from '../src/store/packet.repository';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { packetRow, word } from './helpers/packet-rows';

/** Row claims: concurrent workers never get the same packet; an expired claim returns to the pool. */
describe('packet claims', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    db = await freshDatabase('claims');
  });

  afterAll(async () => {
    for (const source of sources) await source.destroy();
    await db?.drop();
  });

  const open = async () => {
    const config = loadAppConfig({ ...db.env });
    const source = new DataSource(relayerDataSourceOptions(config));
    await source.initialize();
    sources.push(source);
    return new PacketRepository(source, new DurableStore(source, config));
  };

  it('hands each due packet to one worker only', async () => {
    const first = await open();
    // On PostgreSQL a second connection pool plays a second relayer process; sql.js is one process by design.
    const second = db.kind === 'postgres' ? await open() : first;
    for (let n = 1; n <= 40; n++) await first.insert(packetRow(n));
    const now = 1_000;
    const batches = await Promise.all([
      first.claimDue('worker-a', now, now + 60_000, 15),
      second.claimDue('worker-b', now, now + 60_000, 15),
      first.claimDue('worker-c', now, now + 60_000, 15),
    ]);
    const guids = batches.flat().map((p) => p.guid);
    expect(new Set(guids).size).toBe(guids.length);
    expect(guids.length).toBe(40);
    expect(batches.map((b) => b.length).sort((x, y) => x - y)).toEqual([10, 15, 15]);
    // Nothing left while the claims hold; all of them again once they expire.
    expect(await first.claimDue('worker-d', now + 1, now + 60_000, 100)).toHaveLength(0);
    expect(await second.claimDue('worker-d', now + 60_001, now + 120_000, 100)).toHaveLength(40);
    // A worker that lost its claim cannot write the row.
    expect(await first.updateClaimed(word(1), 'worker-a', { attempts: 9 })).toBe(false);
    expect(await first.updateClaimed(word(1), 'worker-d', { attempts: 9 })).toBe(true);
  });
});
