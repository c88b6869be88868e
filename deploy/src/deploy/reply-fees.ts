import { Contract, type Provider } from 'ethers';
import {
  MESSAGE_LENGTHS,
  MSG_ATTEST,
  MSG_AUCTION_RESULT,
  MSG_SEIZE,
  MSG_WITHDRAW_DECISION,
  MSG_WITHDRAW_REQUEST,
  addressToBytes32,
  loadLzArtifact,
  lzReceiveOptions,
} from '@tributary/contracts';
import type { EnforcedGas } from './plan';

/**
 * Who pays: a user's withdrawal pays its whole round trip with the request. The vault's WITHDRAW_REQUEST options
 * forward (as lzReceive value) the hub's fee for the WITHDRAW_DECISION, whose options forward the vault's fee for
 * the release ATTEST; SEIZE forwards that ATTEST fee and the AUCTION_RESULT's (the liquidator pays them). The fees are quoted on chain,
 * on each chain's own endpoint with the OApp as sender, so they include every DVN, the executor and the treasury
 * as configured; `headroom` multiplies them (a surplus stays with the OApp, a shortfall is paid by its float).
 */
export interface ReplyValues {
  /** Value the hub's messages toward the vault carry, by message type (vault-chain wei). */
  hubToVault: Record<number, bigint>;
  /** Value the vault's messages toward the hub carry, by message type (hub-chain wei). */
  vaultToHub: Record<number, bigint>;
}

export interface ReplySide {
  provider: Provider;
  endpoint: string;
  oapp: string;
  eid: number;
}

/** Native fee of one `kind` message from `from` to `to` under explicit `options` (EndpointV2.quote). */
export async function quoteMessage(from: ReplySide, to: ReplySide, kind: keyof typeof MESSAGE_LENGTHS, options: string): Promise<bigint> {
  const endpoint = new Contract(from.endpoint, loadLzArtifact('EndpointV2').abi, from.provider);
  const message = '0x' + '00'.repeat(MESSAGE_LENGTHS[kind]);
  const params = { dstEid: to.eid, receiver: addressToBytes32(to.oapp), message, options, payInLzToken: false };
  const fee = (await endpoint.getFunction('quote')(params, from.oapp)) as { nativeFee: bigint };
  return fee.nativeFee;
}

const scale = (fee: bigint, headroom: number): bigint => (fee * BigInt(Math.round(headroom * 1e6)) + 999_999n) / 1_000_000n;

/** The values the hub ⇄ vault pathway's enforced options forward so that replies are prepaid. */
export async function replyValues(hub: ReplySide, vault: ReplySide, gas: EnforcedGas, headroom: number): Promise<ReplyValues> {
  const attestFee = await quoteMessage(vault, hub, MSG_ATTEST, lzReceiveOptions(gas.vaultToHub[MSG_ATTEST]!));
  const attestValue = scale(attestFee, headroom);
  // SEIZE prepays the vault's AUCTION_RESULT too (sent when the lot closes, or at once when nothing was seized).
  const resultGas = gas.vaultToHub[MSG_AUCTION_RESULT];
  const resultValue = resultGas ? scale(await quoteMessage(vault, hub, MSG_AUCTION_RESULT, lzReceiveOptions(resultGas)), headroom) : 0n;
  const decisionOptions = lzReceiveOptions(gas.hubToVault[MSG_WITHDRAW_DECISION]!, attestValue);
  const decisionFee = await quoteMessage(hub, vault, MSG_WITHDRAW_DECISION, decisionOptions);
  return {
    hubToVault: { [MSG_WITHDRAW_DECISION]: attestValue, [MSG_SEIZE]: attestValue + resultValue },
    vaultToHub: { [MSG_WITHDRAW_REQUEST]: scale(decisionFee, headroom) },
  };
}

export const replyValuesEqual = (a: ReplyValues, b: ReplyValues): boolean =>
  [MSG_WITHDRAW_DECISION, MSG_SEIZE].every((t) => a.hubToVault[t] === b.hubToVault[t]) &&
  a.vaultToHub[MSG_WITHDRAW_REQUEST] === b.vaultToHub[MSG_WITHDRAW_REQUEST];
