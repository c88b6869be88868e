import 'reflect-metadata';
import { hostname } from 'node:os';
import { ConfigError, createService, redactUrl, startupExitCode } from '@tributary/service-kit';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app-config';
import { relayerSqlitePath } from './database/data-source';
import { SignerKeys, loadRelayerConfig } from './config/relayer-config.load';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const relayerConfig = loadRelayerConfig({ configPath: config.RELAYER_CONFIG, manifestPath: config.MANIFEST_PATH, env: process.env });
  const keys = SignerKeys.fromEnv(relayerConfig, process.env);
  const workerId = config.RELAYER_WORKER_ID ?? `${hostname()}:${process.pid}`.slice(0, 64);
  const app = await createService(
    'relayer',
    AppModule.forRoot(config, { config: relayerConfig, keys, workerId, autoStart: true, apiKey: config.RELAYER_API_KEY }),
  );
  await app.listen(config.PORT, config.HOST);
  const database = config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `SQLite ${relayerSqlitePath(config) ?? '(memory)'}`;
  app.getHttpServer().emit('ready');
  console.log(
    JSON.stringify({
      msg: 'relayer listening',
      url: await app.getUrl(),
      database,
      operatorApi: config.RELAYER_API_KEY ? 'enabled' : 'disabled (no RELAYER_API_KEY)',
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(startupExitCode(error));
});
