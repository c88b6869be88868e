import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureService } from '@tributary/service-kit';
import { setupDocs } from '../src/api/docs';
import { AppModule } from '../src/app.module';
import { loadAppConfig } from '../src/config/app-config';
import { freshDatabase } from './support/database';
import { checkResponseSchemas } from './support/response-check';

interface JsonSchema {
  type?: string;
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  pattern?: string;
}
interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
        responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
      }
    >
  >;
}

describe('aggregator service without a manifest', () => {
  let app: INestApplication;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(db.config)] }).compile();
    app = configureService(moduleRef.createNestApplication({ logger: false }));
    setupDocs(app);
    checkResponseSchemas(app);
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

  it('serves the risk parameters from the manifest (none without one): no liquidation or guard values to report', async () => {
    expect((await request(app.getHttpServer()).get('/v1/risk/params').expect(200)).body).toEqual({
      source: 'manifest',
      riskParameters: null,
      block: null,
      checkedAt: null,
      assets: [],
      chains: [],
      markets: [],
      exposureCaps: [],
      stablePrice: [],
      liquidation: null,
      pusherGuard: null,
    });
  });

  it('serves the breakers with no chains: default parameters, nothing tracked, an empty liquidation window', async () => {
    expect((await request(app.getHttpServer()).get('/v1/oracle/stress').expect(200)).body).toEqual({
      chainTime: null,
      stablePrice: { maxStep: 0.02, intervalSeconds: 3600 },
      auctionBreaker: { maxDrop: 0.3, windowSeconds: 3600 },
      assets: [],
    });
    expect((await request(app.getHttpServer()).get('/v1/liquidations/queue').expect(200)).body).toMatchObject({
      limit: 0,
      used: 0,
      openInterest: 0,
      maxFractionOfOpenInterest: 0.1,
      windowSeconds: 3600,
      nextReleaseAt: null,
      window: [],
      queued: [],
    });
    await request(app.getHttpServer()).get('/v1/liquidations/queue?x=1').expect(400);
    const metrics = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/tributary_aggregator_liquidation_limit_usd 0/);
    expect(metrics).toMatch(/tributary_aggregator_liquidation_queue_length 0/);
  });

  it('serves the OpenAPI document: every route with a typed 200 body', async () => {
    const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as OpenApiDocument;
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.map((o) => o.route).sort()).toEqual([
      'GET /health',
      'GET /metrics',
      'GET /v1/accounts',
      'GET /v1/accounts/{address}',
      'GET /v1/accounts/{address}/cash-history',
      'GET /v1/accounts/{address}/events',
      'GET /v1/accounts/{address}/risk',
      'GET /v1/accounts/{address}/risk/history',
      'GET /v1/accounts/{address}/withdrawals',
      'GET /v1/auctions/lots',
      'GET /v1/chains',
      'GET /v1/credit/status',
      'GET /v1/insurance-fund',
      'GET /v1/liquidations',
      'GET /v1/liquidations/queue',
      'GET /v1/liquidations/{liquidationId}',
      'GET /v1/oracle/prices',
      'GET /v1/oracle/stress',
      'GET /v1/pool',
      'GET /v1/reconciliation',
      'GET /v1/risk/book',
      'GET /v1/risk/chains',
      'GET /v1/risk/params',
      'POST /v1/risk/evaluate',
      'POST /v1/risk/liquidation-plan',
      'POST /v1/risk/preview-params',
    ]);
    // /metrics is Prometheus text from the service kit, the account stream server-sent events: not JSON.
    for (const { route, op } of operations.filter((o) => o.route !== 'GET /metrics' && o.route !== 'GET /v1/accounts/{address}/events')) {
      const schema = op.responses['200']?.content?.['application/json']?.schema;
      expect({ route, properties: Object.keys(schema?.properties ?? {}) }).toEqual({
        route,
        properties: expect.arrayContaining([expect.any(String)]),
      });
    }
    const ledger = operations.find((o) => o.route === 'GET /v1/accounts/{address}')!.op.responses['200'].content!['application/json'].schema;
    expect(ledger.properties!.collateral).toMatchObject({
      type: 'array',
      items: { type: 'object', properties: { balance: { type: 'string', pattern: '^-?\\d+$' } } },
    });
    expect(ledger.properties!.credit).toMatchObject({ nullable: true, properties: { liquidatable: { type: 'boolean' } } });
    // GET /v1/risk/params: every kind RiskParameters holds.
    const params = operations.find((o) => o.route === 'GET /v1/risk/params')!.op.responses['200'].content!['application/json'].schema;
    expect(Object.keys(params.properties!)).toEqual(expect.arrayContaining(['assets', 'chains', 'markets', 'liquidation', 'pusherGuard']));
    expect(Object.keys(params.properties!.markets.items!.properties!).sort()).toEqual([
      'accountOpenInterestCap',
      'imr',
      'marketId',
      'mmr',
      'openInterest',
      'openInterestCap',
      'takerFee',
    ]);
    expect(params.properties!.liquidation).toMatchObject({
      nullable: true,
      properties: { markOverrideHealth: { type: 'number' }, penalty: { type: 'number' } },
    });
    expect(params.properties!.pusherGuard).toMatchObject({
      nullable: true,
      properties: { capacityUsd: { type: 'number' }, refillUsdPerSecond: { type: 'number' } },
    });
    const evaluate = operations.find((o) => o.route === 'POST /v1/risk/evaluate')!.op;
    expect(Object.keys(evaluate.requestBody!.content['application/json'].schema.properties!)).toEqual([
      'assets',
      'correlations',
      'chains',
      'balances',
      'positions',
      'cash',
      'params',
    ]);
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
    await expect(Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile()).rejects.toThrow(
      /invalid deployment manifest[\s\S]*chains/,
    );
  });
});
