import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureService } from '@tributary/service-kit';
import { AppModule } from '../src/app.module';
import { loadAppConfig } from '../src/config/app-config';

describe('aggregator service', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const config = loadAppConfig({ DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    app = configureService(moduleRef.createNestApplication({ logger: false }));
    await app.init();
  });

  afterAll(() => app?.close());

  it('answers /health with the database up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves Prometheus metrics', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.text).toMatch(/tributary_aggregator_process_cpu_user_seconds_total/);
  });

  it('refuses to start on an invalid configuration', () => {
    expect(() => loadAppConfig({ PORT: '70000', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });
});
