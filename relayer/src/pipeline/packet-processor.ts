import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, decodeSignedTx, isNonceError, messageOf, type SignedTx, type TxJournal, type TxRequest, type TxSender } from '@tributary/service-kit';
import { Transaction } from 'ethers';
import { ENDPOINT_ABI, RECEIVE_ULN_ABI } from '../chain/abis';
import { ChainRegistry, RELAYER_SETUP, type ChainContext, type RelayerSetup } from '../chain/chain-registry';
import { nextStep, type DeliveryAction } from '../core/packet-state';
import type { PacketEntity } from '../database/packet.entity';
import { RelayerMetrics } from '../metrics/relayer-metrics';
import { PacketRepository, type PacketPatch } from '../store/packet.repository';
import { DeliveryReader } from './delivery-reader';
import { replaceChainedGroup } from './chained-group';
import { checkSourceFinality } from './source-finality';
import { ClaimLostError, StepError, isRevert } from './step-error';
import { DeliveryBatch, LZ_INVALID_NONCE, failedBehindPathway, failedReceives, pathwayKey } from './delivery-batch';
import { TickMemo } from './tick-memo';

type PendingStatus = 'verifying' | 'committing' | 'executing';
const STATUS_OF: Record<DeliveryAction, PendingStatus> = { verify: 'verifying', commit: 'committing', execute: 'executing' };

const CLEAR_PENDING: PacketPatch = {
  stage: 'prepare',
  pendingAction: null,
  pendingTxHash: null,
  pendingTxNonce: null,
  pendingTxRaw: null,
  pendingChainRaw: null,
  pendingTxSentAt: null,
};

/**
 * The stage processors of one claimed packet. prepare: read source finality and destination state, pick
 * the one step still missing; submit: build, simulate (lzReceive) and send it through the chain's signer
 * (stored before broadcast), then chain the following steps when they cannot fail (pipeline.chainSteps);
 * confirm: follow the receipt of the last one sent, rebroadcast lost transactions, replace a stuck one.
 */
@Injectable()
export class PacketProcessor {
  private readonly logger = new Logger(PacketProcessor.name);
  private readonly reader: DeliveryReader;
  /** Reads shared by the packets of one batch transaction (its receipt, the signer's nonce), per tick. */
  readonly memo = new TickMemo();

  constructor(
    private readonly chains: ChainRegistry,
    private readonly packets: PacketRepository,
    private readonly metrics: RelayerMetrics,
    private readonly clock: Clock,
    @Inject(RELAYER_SETUP) private readonly setup: RelayerSetup,
  ) {
    this.reader = new DeliveryReader(() => clock.now());
  }

  /** Moves the packet forward until it has to wait; throws StepError on failure. */
  async advance(packet: PacketEntity, batch?: DeliveryBatch): Promise<void> {
    for (let round = 0; round < 6; round++) {
      const stage = packet.stage;
      try {
        const proceed = stage === 'confirm' ? await this.confirm(packet) : await this.prepareAndSubmit(packet, batch);
        if (!proceed) return;
      } catch (error) {
        if (error instanceof ClaimLostError) throw error;
        throw StepError.wrap(error, packet.pendingAction, stage);
      }
    }
  }

  /** Returns true when the packet can move on at once. */
  private async prepareAndSubmit(packet: PacketEntity, batch?: DeliveryBatch): Promise<boolean> {
    const now = this.clock.now();
    let sourceChecked = false;
    if (packet.status === 'awaiting_confirmations') {
      if (!(await this.sourceIsFinal(packet))) return false;
      sourceChecked = true;
      await this.save(packet, { status: 'verifying', confirmedAt: now, updatedAt: now });
    }
    const dst = this.chains.get(packet.dstEid);
    if (sourceChecked && batch && dst.config.deliveryWorker) {
      // Just confirmed, so never submitted: straight into the batch (the worker reads the packet's state itself and
      // skips what is done), saving the destination reads of a fresh packet.
      batch.add({ packet, action: 'verify', confirmations: (await this.reader.ulnConfig(dst, packet))[0] as bigint });
      return false;
    }
    const submitter = this.chains.submitter(packet.dstEid);
    const step = nextStep(await this.reader.view(packet, dst, this.chains.dvnAddress(packet.dstEid)));
    if (this.setup.role === 'verifier' && step.action !== 'verify') {
      // The verifier's work ends with its own verification on the destination; the relayer commits and executes.
      await this.save(packet, { ...CLEAR_PENDING, status: 'verified', attempts: 0, lastError: null, updatedAt: now });
      return false;
    }
    if (step.status === 'delivered') {
      // Batched deliveries learn of their lzReceive here (the batch transaction does not say which packets it executed).
      if (!packet.deliveredAt && packet.confirmedAt)
        this.metrics.deliveryLatency.observe(this.pathwayLabels(packet), (now - packet.confirmedAt) / 1000);
      await this.save(packet, {
        ...CLEAR_PENDING,
        status: 'delivered',
        deliveredAt: packet.deliveredAt ?? now,
        attempts: 0,
        lastError: null,
        updatedAt: now,
      });
      return false;
    }
    if (step.action === null || (step.action === 'execute' && (await this.tooFarAhead(packet)))) {
      // Waiting for other DVNs or for lower nonces of the pathway: not a failure.
      await this.save(packet, { status: step.status, nextAttemptAt: now + this.setup.config.pipeline.confirmPollMs * 2, updatedAt: now });
      return false;
    }
    // Reorg safety: the source receipt is re-read right before the DVN signs for the packet.
    if (step.action === 'verify' && !sourceChecked && !(await this.sourceIsFinal(packet))) return false;
    const action = step.action;
    if (batch && dst.config.deliveryWorker) {
      // Sent with every other packet ready this tick, in one DeliveryWorker transaction (PipelineService submits it).
      batch.add({ packet, action, confirmations: (await this.reader.ulnConfig(dst, packet))[0] as bigint });
      return false;
    }
    const sent = await this.send(packet, dst, submitter, action, await this.buildRequest(action, packet, dst, submitter), []);
    if (this.setup.config.pipeline.chainSteps && this.setup.role !== 'verifier') await this.sendChained(packet, dst, submitter, action, sent);
    return true;
  }

  /**
   * Sends the steps that follow `action` without waiting for it to be mined (the nonce order keeps them in
   * order): commitVerification after our verify when every other required DVN has verified already (or there is
   * none), then lzReceive (not simulated: it cannot run before the commit) when every lower nonce of the pathway
   * is already committed.
   * Each one is stored with the earlier raw transactions of the chain, so a lost one is rebroadcast.
   */
  private async sendChained(packet: PacketEntity, dst: ChainContext, submitter: TxSender, action: DeliveryAction, first: SignedTx): Promise<void> {
    const chain = [first.raw];
    let last = action;
    if (last === 'verify' && (await this.chainable(() => this.reader.othersVerified(dst, packet, submitter.address)))) {
      const commit = await this.send(packet, dst, submitter, 'commit', await this.buildRequest('commit', packet, dst, submitter), chain);
      chain.push(commit.raw);
      last = 'commit';
    }
    if (last === 'commit' && (await this.chainable(() => this.reader.lowerNoncesCommitted(dst, packet)))) {
      await this.send(packet, dst, submitter, 'execute', await this.buildRequest('execute', packet, dst, submitter, false), chain);
    }
  }

  /** A failed read only means no chaining: the sent step is confirmed as usual. */
  private async chainable(check: () => Promise<boolean>): Promise<boolean> {
    try {
      return await check();
    } catch {
      return false;
    }
  }

  private async send(
    packet: PacketEntity,
    dst: ChainContext,
    submitter: TxSender,
    action: DeliveryAction,
    request: TxRequest,
    chain: string[],
  ): Promise<SignedTx> {
    const pendingChainRaw = chain.length > 0 ? JSON.stringify(chain) : null;
    const tx = await submitter.send(
      request,
      this.journal(packet, (signed) => ({ status: STATUS_OF[action], ...this.pendingPatch(action, signed), pendingChainRaw })),
    );
    this.metrics.transactions.inc({ chain: dst.config.name, action, result: 'sent' });
    return tx;
  }

  /** Confirm stage. Returns true when the packet should be prepared again at once. */
  private async confirm(packet: PacketEntity): Promise<boolean> {
    const dst = this.chains.get(packet.dstEid);
    const submitter = this.chains.submitter(packet.dstEid);
    const action = packet.pendingAction!;
    const now = this.clock.now();
    const receipt = await this.memo.get(`receipt ${packet.pendingTxHash}`, () => dst.rpc.receipt(packet.pendingTxHash!));
    if (receipt) {
      // Counted once per transaction (a batch's packets share it).
      await this.memo.get(`counted ${receipt.hash}`, async () =>
        this.metrics.transactions.inc({
          chain: dst.config.name,
          action: dst.config.deliveryWorker ? 'deliver' : action,
          result: receipt.status === 1 ? 'mined' : 'reverted',
        }),
      );
      if (receipt.status !== 1) {
        await this.save(packet, { ...CLEAR_PENDING });
        throw new StepError(`${action} transaction ${receipt.hash} reverted`, 'revert', action, 'confirm');
      }
      if (dst.config.deliveryWorker) {
        // A batch never reverts for one packet: its failed lzReceives are in its logs; the rest is read from the chain.
        const failures = failedReceives(receipt.logs, dst.config.deliveryWorker);
        const reason = failures.get(packet.guid.toLowerCase());
        if (reason === undefined || this.setup.role === 'verifier') {
          await this.save(packet, { ...CLEAR_PENDING, nextAttemptAt: now, updatedAt: now });
          return true;
        }
        if (reason.startsWith(LZ_INVALID_NONCE) || (reason === '0x' && failedBehindPathway(packet.pendingTxRaw!, failures, packet.guid))) {
          // Executed before a lower nonce of its pathway was committed (another batch, another worker), or out of gas
          // scanning past a lower nonce of this batch that failed: it waits; neither is its own failure.
          const waitUntil = now + this.setup.config.pipeline.confirmPollMs * 2;
          await this.save(packet, { ...CLEAR_PENDING, status: 'executing', nextAttemptAt: waitUntil, updatedAt: now });
          return false;
        }
        await this.save(packet, { ...CLEAR_PENDING, status: 'executing', updatedAt: now });
        throw new StepError(`lzReceive reverts in batch ${receipt.hash}: ${reason.slice(0, 300)}`, 'revert', 'execute', 'confirm');
      }
      if (action === 'execute') {
        await this.save(packet, { ...CLEAR_PENDING, status: 'delivered', deliveredAt: now, attempts: 0, lastError: null, updatedAt: now });
        if (packet.confirmedAt) {
          this.metrics.deliveryLatency.observe(this.pathwayLabels(packet), (now - packet.confirmedAt) / 1000);
        }
        return false;
      }
      await this.save(packet, { ...CLEAR_PENDING, attempts: 0, lastError: null, nextAttemptAt: now, updatedAt: now });
      return true;
    }
    const minedNonce = await this.memo.get(`nonce ${packet.dstEid}`, () => dst.rpc.transactionCount(submitter.address, 'latest'));
    if (minedNonce > packet.pendingTxNonce!) {
      // Our nonce was used by another transaction (a replacement raced, or the slot was reused after a crash): re-read the chain.
      await this.save(packet, { ...CLEAR_PENDING, nextAttemptAt: now, updatedAt: now });
      return true;
    }
    const known = await this.memo.get(`tx ${packet.pendingTxHash}`, () => dst.rpc.transaction(packet.pendingTxHash!));
    const pollAt = now + this.setup.config.pipeline.confirmPollMs;
    // An earlier transaction of the chain lost by the node would leave a nonce gap blocking the signer.
    // Looked for when the last one is lost too, or pending for a tenth of the stuck timeout (a few blocks).
    if (packet.pendingChainRaw && (!known || now - (packet.pendingTxSentAt ?? now) > dst.config.gas.stuckTimeoutMs / 10))
      await this.restoreChain(packet, dst, submitter, minedNonce);
    if (!known) {
      await submitter.rebroadcast(packet.pendingTxRaw!);
      await this.save(packet, { nextAttemptAt: pollAt, updatedAt: now });
      return false;
    }
    if (now - (packet.pendingTxSentAt ?? now) > dst.config.gas.stuckTimeoutMs) {
      // Every unmined transaction of a chained group is stuck behind the first: each is replaced, in nonce order.
      const chain = await replaceChainedGroup(packet, submitter, minedNonce, async (pendingChainRaw) => {
        await this.save(packet, { pendingChainRaw });
        await this.packets.flush();
      });
      for (const replaced of chain) {
        this.metrics.transactions.inc({ chain: dst.config.name, action: replaced.action, result: 'replaced' });
        this.logger.warn({ msg: 'stuck chained transaction replaced', chain: dst.config.name, nonce: replaced.nonce, hash: replaced.hash });
      }
      const stuck = decodeSignedTx(packet.pendingTxRaw!);
      // A batch is replaced once (by its first packet this tick) with its own calldata; the others follow its new hash.
      const request = dst.config.deliveryWorker
        ? batchRequestOf(packet.pendingTxRaw!)
        : await this.buildRequest(action, packet, dst, submitter, false);
      const replacement = await this.memo.get(`replace ${packet.pendingTxHash}`, () =>
        submitter.replace(
          request,
          stuck,
          this.journal(packet, (tx) => this.pendingPatch(action, tx)),
        ),
      );
      if (replacement.hash !== packet.pendingTxHash) await this.save(packet, this.pendingPatch(action, replacement));
      this.metrics.transactions.inc({ chain: dst.config.name, action, result: 'replaced' });
      this.logger.warn({ msg: 'stuck transaction replaced', chain: dst.config.name, action, nonce: stuck.nonce, hash: replacement.hash });
    }
    await this.save(packet, { nextAttemptAt: pollAt, updatedAt: now });
    return false;
  }

  /**
   * More than `maxExecuteAhead` unexecuted nonces of its pathway lie below the packet: its lzReceive would scan them
   * all (a cold read each, on its own gas budget), so it waits for the lower ones to execute first.
   */
  private async tooFarAhead(packet: PacketEntity): Promise<boolean> {
    return BigInt(packet.nonce) - (await this.lazyNonce(packet)) - 1n > BigInt(this.setup.config.pipeline.maxExecuteAhead);
  }

  /** The packet's pathway's `lazyInboundNonce` on its destination, read once per pathway per tick. */
  lazyNonce(packet: PacketEntity): Promise<bigint> {
    return this.memo.get(`lazy ${packet.dstEid} ${pathwayKey(packet)}`, () => this.reader.lazyNonce(this.chains.get(packet.dstEid), packet));
  }

  /** Rebroadcasts, in nonce order, the earlier transactions of the pending chain neither mined nor known to the node. */
  private async restoreChain(packet: PacketEntity, dst: ChainContext, submitter: TxSender, minedNonce: number): Promise<void> {
    const earlier = (JSON.parse(packet.pendingChainRaw ?? '[]') as string[]).map((raw) => ({ raw, tx: Transaction.from(raw) }));
    for (const { raw, tx } of earlier) {
      if (tx.nonce < minedNonce || (await dst.rpc.transaction(tx.hash!))) continue;
      try {
        await submitter.rebroadcast(raw);
      } catch (error) {
        // Mined or replaced meanwhile: the nonce is used, nothing to restore.
        if (!isNonceError(error)) throw error;
      }
      this.logger.warn({ msg: 'earlier chained transaction rebroadcast', chain: dst.config.name, guid: packet.guid, nonce: tx.nonce, hash: tx.hash });
    }
  }

  /** Confirmation depth reached and the source receipt still in the recorded block; handles moved and dropped packets. */
  private async sourceIsFinal(packet: PacketEntity): Promise<boolean> {
    const src = this.chains.get(packet.srcEid);
    const now = this.clock.now();
    const result = await checkSourceFinality(src, packet);
    if (result.kind === 'final') return true;
    if (result.kind === 'wait') {
      await this.save(packet, { nextAttemptAt: now + src.config.pollIntervalMs, updatedAt: now });
    } else if (result.kind === 'moved') {
      this.metrics.reorgs.inc({ chain: src.config.name, stage: 'finality' });
      await this.save(packet, {
        status: 'awaiting_confirmations',
        srcBlockNumber: result.blockNumber,
        srcBlockHash: result.blockHash,
        confirmedAt: null,
        nextAttemptAt: now,
        updatedAt: now,
      });
    } else {
      this.metrics.reorgs.inc({ chain: src.config.name, stage: 'finality' });
      this.logger.warn({
        msg: 'packet left the canonical chain; not verified',
        guid: packet.guid,
        chain: src.config.name,
        block: packet.srcBlockNumber,
      });
      await this.save(packet, { status: 'reorged', lastError: 'source transaction no longer on the canonical chain', updatedAt: now });
    }
    return false;
  }

  private async buildRequest(
    action: DeliveryAction,
    packet: PacketEntity,
    dst: ChainContext,
    submitter: TxSender,
    simulate = true,
  ): Promise<TxRequest> {
    const gas = dst.config.gas;
    if (action === 'verify') {
      const config = await this.reader.ulnConfig(dst, packet);
      const data = RECEIVE_ULN_ABI.encodeFunctionData('verify', [packet.header, packet.payloadHash, config[0]]);
      return { to: dst.config.receiveUln302, data, gasLimit: BigInt(gas.verifyGasLimit) };
    }
    if (action === 'commit') {
      const data = RECEIVE_ULN_ABI.encodeFunctionData('commitVerification', [packet.header, packet.payloadHash]);
      return { to: dst.config.receiveUln302, data, gasLimit: BigInt(gas.commitGasLimit) };
    }
    const origin = { srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce };
    const data = ENDPOINT_ABI.encodeFunctionData('lzReceive', [origin, packet.receiver, packet.guid, packet.message, '0x']);
    const request: TxRequest = {
      to: dst.config.endpoint,
      data,
      gasLimit: BigInt(packet.receiveGas) + BigInt(gas.executeGasOverhead),
      value: BigInt(packet.receiveValue),
    };
    if (simulate) {
      try {
        await dst.rpc.call(request.to, request.data, submitter.address, request.gasLimit, request.value);
      } catch (error) {
        if (isRevert(error)) {
          throw new StepError(`lzReceive reverts: ${messageOf(error).slice(0, 300)}`, 'revert', 'execute', 'prepare');
        }
        throw error;
      }
    }
    return request;
  }

  private pendingPatch(action: DeliveryAction, tx: SignedTx): PacketPatch {
    const now = this.clock.now();
    return {
      stage: 'confirm',
      pendingAction: action,
      pendingTxHash: tx.hash,
      pendingTxNonce: tx.nonce,
      pendingTxRaw: tx.raw,
      pendingTxSentAt: now,
      updatedAt: now,
    };
  }

  private pathwayLabels(packet: PacketEntity) {
    return { src_chain: this.chains.nameOf(packet.srcEid), dst_chain: this.chains.nameOf(packet.dstEid) };
  }

  /** Write-ahead into the packet's row: the signed transaction is on disk (while the claim holds) before it is broadcast. */
  private journal(packet: PacketEntity, patchOf: (tx: SignedTx) => PacketPatch): TxJournal {
    return {
      record: async (tx) => {
        await this.save(packet, patchOf(tx));
        await this.packets.flush();
      },
    };
  }

  /** Applies `patch` to the row (while the claim holds) and to the in-memory entity. */
  private async save(packet: PacketEntity, patch: PacketPatch): Promise<void> {
    if (!(await this.packets.updateClaimed(packet.guid, this.setup.workerId, patch))) throw new ClaimLostError(`claim on ${packet.guid} lost`);
    Object.assign(packet, patch);
  }
}

/** The call of a signed batch transaction, to be resent with higher fees. */
function batchRequestOf(raw: string): TxRequest {
  const tx = Transaction.from(raw);
  return { to: tx.to!, data: tx.data, gasLimit: tx.gasLimit, value: tx.value };
}
