import { Global, Module } from '@nestjs/common';
import { loadManifest } from '@tributary/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ChainRegistry } from './chain-registry';

/** Provides the ChainRegistry from MANIFEST_PATH (validated at start: an invalid manifest stops the service). */
@Global()
@Module({
  providers: [
    {
      provide: ChainRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ChainRegistry(config.MANIFEST_PATH ? loadManifest(config.MANIFEST_PATH) : null),
    },
  ],
  exports: [ChainRegistry],
})
export class RegistryModule {}
