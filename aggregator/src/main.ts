import 'reflect-metadata';
import { createService, redactUrl, startupExitCode } from '@tributary/service-kit';
import { setupDocs } from './api/docs';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app-config';
import { aggregatorSqlitePath } from './database/database.module';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const app = await createService('aggregator', AppModule.forRoot(config));
  setupDocs(app);
  await app.listen(config.PORT, config.HOST);
  const database = config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `SQLite ${aggregatorSqlitePath(config) ?? '(memory)'}`;
  app.getHttpServer().emit('ready');
  console.log(JSON.stringify({ msg: 'aggregator listening', url: await app.getUrl(), database }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(startupExitCode(error));
});
