import { Global, Module } from '@nestjs/common';
import { loadManifest } from '@tributary/protocol';
import { Clock } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AuctionBreakerRepository } from './auction-breaker.repository';
import { ChainClients } from './chain-client';
import { ChainRegistry } from './chain-registry';
import { SettlementPoolRepository } from './settlement-pool.repository';
import { RiskParamsRepository } from './risk-params.repository';
import { TradingRpcRepository } from './trading-rpc.repository';

/**
 * The chains of the deployment manifest and the JSON-RPC reads of them: the ChainRegistry from MANIFEST_PATH
 * (validated at start: an invalid manifest stops the service), one client per chain (indexer, reconciliation)
 * and the trading chain's feed/market/block reads (oracle, risk engine). The credit pusher's CreditManager and
 * PerpMarket calls go through `CreditContracts`, which its TradingChain owns. The auction breakers of the
 * collateral chains are read by `AuctionBreakerRepository`. Also the one wall `Clock` every
 * part of the service reads (tests move it once for all of them).
 */
@Global()
@Module({
  providers: [
    {
      provide: ChainRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new ChainRegistry(config.MANIFEST_PATH ? loadManifest(config.MANIFEST_PATH) : null, {
          tradingConfirmations: config.INDEXER_TRADING_CONFIRMATIONS,
        }),
    },
    ChainClients,
    TradingRpcRepository,
    RiskParamsRepository,
    SettlementPoolRepository,
    AuctionBreakerRepository,
    Clock,
  ],
  exports: [ChainRegistry, ChainClients, TradingRpcRepository, RiskParamsRepository, SettlementPoolRepository, AuctionBreakerRepository, Clock],
})
export class ChainModule {}
