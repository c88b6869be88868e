import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { typeOrmModuleOptions } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { relayerDataSourceOptions } from './data-source';
import { DurableStore } from './durable-store';

export { relayerDataSourceOptions } from './data-source';

/** The data source and the durability of its writes; imported by every module that stores something. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => typeOrmModuleOptions(relayerDataSourceOptions(config)) }),
  ],
  providers: [DurableStore],
  exports: [DurableStore],
})
export class DatabaseModule {}
