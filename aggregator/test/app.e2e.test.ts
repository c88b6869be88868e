import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureService } from '@tributary/service-kit';
import { setupDocs } from '../src/api/docs';
import { AppModule } from '../src/app.module';
import { loadAppConfig } from '../src/config/app-config';
import { freshDatabase } from './support/database';

describe('aggregator service without a manifest', () => {
  let app: INestApplication;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(db.config)] }).compile();
    app = configureService(moduleRef.createNestApplication({ logger: false }));
    setupDocs(app);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('answers /health with the database up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves Prometheus metrics', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.text).toMatch(/tributary_aggregator_process_cpu_user_seconds_total/);
  });

  it('reports indexing disabled and no chains', async () => {
    expect((await request(app.getHttpServer()).get('/v1/chains').expect(200)).body).toEqual({ indexingEnabled: false, chains: [] });
    expect((await request(app.getHttpServer()).get('/v1/reconciliation').expect(200)).body).toEqual({ enabled: false, report: null });
    expect((await request(app.getHttpServer()).get('/v1/accounts').expect(200)).body).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
  });

  it('serves the OpenAPI document with every route', async () => {
    const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/v1/accounts', '/v1/accounts/{address}', '/v1/accounts/{address}/withdrawals', '/v1/chains', '/v1/reconciliation']),
    );
    await request(app.getHttpServer()).get('/docs').expect(200);
  });

  it('refuses to start on an invalid configuration', () => {
    expect(() => loadAppConfig({ PORT: '70000', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });

  it('refuses to start on an invalid manifest with a clear error', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'agg-manifest-')), 'manifest.json');
    writeFileSync(path, JSON.stringify({ version: 1, chains: [], assets: [] }));
    const config = loadAppConfig({ MANIFEST_PATH: path, LOG_LEVEL: 'silent' });
    await expect(Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile()).rejects.toThrow(/invalid deployment manifest[\s\S]*chains/);
  });
});
