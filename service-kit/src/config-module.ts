import { Module, type DynamicModule } from '@nestjs/common';

@Module({})
class ConfigHolderModule {}

/** A global module that provides a service's validated config under `token`. */
export function configModule<T>(token: symbol, load: () => T): DynamicModule {
  return { module: ConfigHolderModule, global: true, providers: [{ provide: token, useFactory: load }], exports: [token] };
}
