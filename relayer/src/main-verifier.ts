import 'reflect-metadata';
import { hostname } from 'node:os';
import { ConfigError, createService, redactUrl, startupExitCode } from '@tributary/service-kit';
import { VerifierAppModule } from './verifier-app.module';
import { SignerKeys, loadRelayerConfig } from './config/relayer-config.load';
import { loadVerifierAppConfig } from './verifier/verifier-config';
import { relayerSqlitePath } from './database/data-source';

/**
 * The independent verifier: the second required DVN of every pathway. Its own process, key
 * (VERIFIER_PRIVATE_KEY), store (its own SQLite file or PostgreSQL schema) and worker contract; it reads the
 * source chains' own logs and verifies on the destinations, never commits or executes, and raises an alarm when
 * another DVN verifies a packet the source never sent.
 */
async function main(): Promise<void> {
  const config = loadVerifierAppConfig(process.env);
  const verifierConfig = loadRelayerConfig({
    configPath: config.RELAYER_CONFIG,
    manifestPath: config.MANIFEST_PATH,
    env: process.env,
    role: 'verifier',
  });
  // Only verify: nothing is chained behind a verify (the relayer commits and executes).
  verifierConfig.pipeline.chainSteps = false;
  const keys = SignerKeys.fromEnv(verifierConfig, process.env, 'VERIFIER');
  const workerId = config.RELAYER_WORKER_ID ?? `${hostname()}:${process.pid}`.slice(0, 64);
  const app = await createService(
    'verifier',
    VerifierAppModule.forRoot(config, { config: verifierConfig, role: 'verifier', keys, workerId, autoStart: true, apiKey: config.RELAYER_API_KEY }),
  );
  await app.listen(config.PORT, config.HOST);
  const database = config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `SQLite ${relayerSqlitePath(config) ?? '(memory)'}`;
  app.getHttpServer().emit('ready');
  console.log(JSON.stringify({ msg: 'verifier listening', url: await app.getUrl(), database }));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(startupExitCode(error));
});
