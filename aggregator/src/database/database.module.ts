import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        dataSourceOptions({
          url: config.DATABASE_URL,
          sqljsPath: config.SQLJS_PATH,
          schema: config.DATABASE_SCHEMA,
          entities: ENTITIES,
          migrations: MIGRATIONS,
        }),
    }),
  ],
})
export class DatabaseModule {}
