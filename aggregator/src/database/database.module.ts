import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { tuneDatabase } from './tune-database';

@Injectable()
class DatabaseTuning implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): Promise<void> {
    return tuneDatabase(this.dataSource);
  }
}

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
  providers: [DatabaseTuning],
})
export class DatabaseModule {}
