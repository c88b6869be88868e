import { z } from 'zod';
import { ConfigError, dataSourceOptions, databaseKind, parseConfig, redactUrl } from '../src';

describe('parseConfig', () => {
  const schema = z.object({ PORT: z.coerce.number().int().min(1).max(65535), NAME: z.string().min(1) });

  it('returns the parsed values', () => {
    expect(parseConfig(schema, { PORT: '8080', NAME: 'x' })).toEqual({ PORT: 8080, NAME: 'x' });
  });

  it('lists every problem at once', () => {
    try {
      parseConfig(schema, { PORT: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/NAME/);
    }
  });
});

describe('database selection', () => {
  it('defaults to the embedded SQLite engine and selects PostgreSQL by URL', () => {
    expect(databaseKind(undefined)).toBe('sqlite');
    expect(databaseKind('postgres://u@h/db')).toBe('postgres');
    expect(() => databaseKind('mysql://h/db')).toThrow(/unsupported DATABASE_URL/);
    expect(dataSourceOptions({ entities: [], migrations: [], sqlitePath: '/tmp/x.sqlite' })).toMatchObject({
      type: 'better-sqlite3',
      database: '/tmp/x.sqlite',
      migrationsRun: true,
    });
    expect(dataSourceOptions({ entities: [], migrations: [] })).toMatchObject({ type: 'better-sqlite3', database: ':memory:' });
    expect(dataSourceOptions({ url: 'postgresql://h/db', entities: [], migrations: [] })).toMatchObject({ type: 'postgres', migrationsRun: true });
  });

  it('never logs a password', () => {
    expect(redactUrl('postgres://alice:s3cret@db:5432/x')).toBe('postgres://alice:***@db:5432/x');
  });
});
