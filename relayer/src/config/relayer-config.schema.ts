import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');
const positiveInt = z.number().int().positive();

/** Gas pricing and replacement of one destination chain's transactions. */
export const gasSettingsSchema = z.object({
  /** Fixed maxFeePerGas / maxPriorityFeePerGas in wei (decimal strings); absent = from eth_feeHistory via the node. */
  maxFeePerGas: z.string().regex(/^\d+$/).optional(),
  maxPriorityFeePerGas: z.string().regex(/^\d+$/).optional(),
  /** A transaction not mined after this long is replaced with higher fees (same nonce). */
  stuckTimeoutMs: positiveInt.default(30_000),
  /** Fee increase of a replacement, percent (nodes require ≥ 10). */
  bumpPercent: z.number().int().min(10).max(500).default(20),
  /** Gas limit of verify and commitVerification. */
  verifyGasLimit: positiveInt.default(200_000),
  commitGasLimit: positiveInt.default(300_000),
  /** Added to the packet's lzReceive gas option: the endpoint's own work around the OApp call. */
  executeGasOverhead: positiveInt.default(100_000),
  /** Gas the endpoint's lzReceive spends around the app's call inside a delivery batch (no transaction of its own). */
  batchExecuteOverhead: positiveInt.default(40_000),
  /** A delivery batch's own gas per packet beside its lzReceive budget (state reads, verify, commit, the loop). */
  batchGasPerPacket: positiveInt.default(100_000),
  /** Gas limit of one delivery batch transaction (hardhat and Osaka cap a transaction at 2^24 = 16,777,216). */
  maxBatchGas: positiveInt.default(16_000_000),
});

export const chainConfigSchema = z.object({
  /** Upper-case letters, digits and _ only: it names env overrides (RELAYER_CHAIN_<NAME>_RPC_URL). */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and _ only'),
  eid: positiveInt.max(0xffffffff),
  chainId: positiveInt,
  rpcUrl: z.string().url(),
  confirmations: z.number().int().min(0).max(10_000),
  pollIntervalMs: positiveInt.default(1000),
  maxBlockRange: positiveInt.max(100_000).default(1000),
  /** First block to scan when the store has no cursor for this chain. */
  startBlock: z.number().int().min(0).default(0),
  /** RPC request timeout. */
  rpcTimeoutMs: positiveInt.default(10_000),
  endpoint: address,
  receiveUln302: address,
  /** Our RelayerWorker on this chain (send side: SendUln302 assigns DVN/executor jobs to it). */
  worker: address,
  /**
   * Our DeliveryWorker on this chain (receive side): when set, it is the DVN the receive config requires, and every
   * packet toward this chain is verified, committed and executed through one `verifyAndDeliver` batch per tick.
   */
  deliveryWorker: address.optional(),
  gas: gasSettingsSchema.default(gasSettingsSchema.parse({})),
  /** The chain's CollateralVault: with `heartbeatSeconds`, the relayer keeps the chain live with heartbeats. */
  vault: address.optional(),
  /** heartbeat_c (s): the relayer calls `vault.heartbeat()` after heartbeat_c / 2 without a message. */
  heartbeatSeconds: positiveInt.optional(),
});

export const pathwaySchema = z.object({
  srcEid: positiveInt,
  /** Sending OApp on the source chain. */
  sender: address,
  dstEid: positiveInt,
  /** Receiving OApp on the destination chain. */
  receiver: address,
});

export const pipelineSettingsSchema = z.object({
  /** How often due packets are claimed and advanced. */
  tickMs: positiveInt.default(200),
  /** Packets claimed per tick (per process). */
  batchSize: positiveInt.max(1000).default(64),
  /** A claim expires after this long (a crashed worker's rows return to the pool). */
  claimTtlMs: positiveInt.default(60_000),
  /** lzReceive failures before a packet is parked for an operator. */
  maxExecuteAttempts: positiveInt.default(5),
  /** A committed packet executes only with at most this many unexecuted lower nonces of its pathway (the endpoint scans them). */
  maxExecuteAhead: positiveInt.default(32),
  /** How often a submitted transaction's receipt is polled. */
  confirmPollMs: positiveInt.default(250),
  /**
   * Send the next destination step before the previous one is mined (nonce order keeps them in order):
   * commitVerification right after our verify when we are the pathway's only DVN, lzReceive right after
   * commitVerification when every lower nonce is committed. One destination block per packet instead of 3.
   */
  chainSteps: z.boolean().default(true),
  /** How often quiet chains are checked for a due heartbeat. */
  heartbeatCheckMs: positiveInt.default(5_000),
});

export const relayerConfigSchema = z
  .object({
    chains: z.array(chainConfigSchema).min(1),
    pathways: z.array(pathwaySchema).min(1),
    pipeline: pipelineSettingsSchema.default(pipelineSettingsSchema.parse({})),
  })
  .superRefine((config, ctx) => {
    const eids = new Set<number>();
    const names = new Set<string>();
    config.chains.forEach((chain, i) => {
      if (eids.has(chain.eid)) ctx.addIssue({ code: 'custom', message: `duplicate eid ${chain.eid}`, path: ['chains', i, 'eid'] });
      if (names.has(chain.name.toUpperCase())) ctx.addIssue({ code: 'custom', message: `duplicate name ${chain.name}`, path: ['chains', i, 'name'] });
      eids.add(chain.eid);
      names.add(chain.name.toUpperCase());
    });
    config.pathways.forEach((pathway, i) => {
      for (const key of ['srcEid', 'dstEid'] as const) {
        if (!eids.has(pathway[key])) ctx.addIssue({ code: 'custom', message: `unknown chain eid ${pathway[key]}`, path: ['pathways', i, key] });
      }
      if (pathway.srcEid === pathway.dstEid) ctx.addIssue({ code: 'custom', message: 'srcEid equals dstEid', path: ['pathways', i] });
    });
  });

export type GasSettings = z.output<typeof gasSettingsSchema>;
export type ChainConfig = z.output<typeof chainConfigSchema>;
export type Pathway = z.output<typeof pathwaySchema>;
export type PipelineSettings = z.output<typeof pipelineSettingsSchema>;
export type RelayerConfig = z.output<typeof relayerConfigSchema>;
export type RelayerConfigInput = z.input<typeof relayerConfigSchema>;
