import 'reflect-metadata';
import { createService, redactUrl } from '@tributary/service-kit';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const app = await createService('relayer', AppModule.forRoot(config));
  await app.listen(config.PORT, config.HOST);
  const database = config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `sql.js ${config.SQLJS_PATH ?? '(memory)'}`;
  app.getHttpServer().emit('ready');
  console.log(JSON.stringify({ msg: 'relayer listening', url: await app.getUrl(), database }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
