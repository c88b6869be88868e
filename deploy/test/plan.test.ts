import { Interface } from 'ethers';
import {
  MSG_ATTEST,
  MSG_AUCTION_RESULT,
  MSG_HEARTBEAT,
  MSG_SEIZE,
  MSG_WITHDRAW_DECISION,
  MSG_WITHDRAW_REQUEST,
  DEFAULT_RECEIVE_GAS,
  addressToBytes32,
  loadLzArtifact,
  lzReceiveOptions,
  ulnConfig,
} from '@tributary/contracts';
import {
  FALLBACK_DELIVERY_GAS,
  appPathways,
  bucketNeedsUpdate,
  creditIncreaseGuard,
  enforcedGasFromSnapshot,
  enforcedOptionsHex,
  outflowGuard,
  planContract,
  planPathway,
  vaultCapacityUsd,
  workerConfigEquals,
  workerFees,
  type OAppPathwayState,
} from '../src/deploy/plan';
import { parseDeployConfig } from '../src/config/schema';
import { devnetDeployConfig } from '../src/devnet/devnet-config';
import { desiredPathway, type PathwaySide } from '../src/deploy/wiring';
import { decodeRevert } from '../src/deploy/revert-reason';

const a = (n: number) => '0x' + n.toString(16).padStart(40, '0');
const ZERO = '0x' + '0'.repeat(64);

const side: PathwaySide = {
  oapp: a(1),
  remoteEid: 40101,
  remoteOApp: a(2),
  endpoint: a(3),
  sendUln302: a(4),
  receiveUln302: a(5),
  worker: a(6),
  dvnSigner: a(7),
  additionalDvns: [],
  localConfirmations: 2,
  remoteConfirmations: 5,
  maxMessageSize: 10_000,
  enforcedOptions: enforcedOptionsHex({ [MSG_ATTEST]: 130_000, [MSG_WITHDRAW_REQUEST]: 480_000 }),
};

const emptyUln = { confirmations: 0n, requiredDVNCount: 0, optionalDVNCount: 0, optionalDVNThreshold: 0, requiredDVNs: [], optionalDVNs: [] };

/** What a freshly deployed OApp on an endpoint with defaults reads like. */
const fresh = (): OAppPathwayState => ({
  peer: ZERO,
  sendLibrary: { lib: a(4), isDefault: true },
  receiveLibrary: { lib: a(5), isDefault: true },
  sendUln: emptyUln,
  executor: { maxMessageSize: 0, executor: a(0) },
  receiveUln: emptyUln,
  enforcedOptions: { [MSG_ATTEST]: '0x', [MSG_WITHDRAW_REQUEST]: '0x' },
});

/** The same state after every desired write (as read back from chain: checksummed addresses, bigint). */
function wired(): OAppPathwayState {
  const d = desiredPathway(side);
  return {
    ...d,
    peer: addressToBytes32(side.remoteOApp),
    sendLibrary: { lib: d.sendLibrary, isDefault: false },
    receiveLibrary: { lib: d.receiveLibrary, isDefault: false },
  };
}

describe('idempotency planning', () => {
  it('reuses a recorded contract only when code is still there', () => {
    expect(planContract(a(9), true)).toBe('reuse');
    expect(planContract(a(9), false)).toBe('deploy');
    expect(planContract(undefined, false)).toBe('deploy');
  });

  it('plans every write for a fresh OApp, libraries before their configs', () => {
    expect(planPathway(fresh(), desiredPathway(side)).map((w) => w.kind)).toEqual([
      'setPeer',
      'setSendLibrary',
      'setReceiveLibrary',
      'setSendConfig',
      'setReceiveConfig',
      'setEnforcedOptions',
    ]);
  });

  it('plans nothing once wired (the second run sends no transaction)', () => {
    expect(planPathway(wired(), desiredPathway(side))).toEqual([]);
  });

  it('ignores address case but not a different DVN, confirmations or library', () => {
    const lower = wired();
    lower.sendUln = { ...lower.sendUln, requiredDVNs: lower.sendUln.requiredDVNs.map((x) => x.toLowerCase()) };
    expect(planPathway(lower, desiredPathway(side))).toEqual([]);

    const otherDvn = wired();
    otherDvn.receiveUln = ulnConfig(5, [a(8)]);
    expect(planPathway(otherDvn, desiredPathway(side))).toEqual([{ kind: 'setReceiveConfig' }]);

    const fewerConfirmations = wired();
    fewerConfirmations.sendUln = ulnConfig(1, [side.worker]);
    expect(planPathway(fewerConfirmations, desiredPathway(side))).toEqual([{ kind: 'setSendConfig', executor: false, uln: true }]);

    const defaultLibrary = wired();
    defaultLibrary.sendLibrary = { lib: side.sendUln302, isDefault: true };
    expect(planPathway(defaultLibrary, desiredPathway(side))).toEqual([{ kind: 'setSendLibrary' }]);
  });

  it('adds further required DVNs (public networks) on both sides, sorted, and plans both configs when missing', () => {
    const withLabs = { ...side, additionalDvns: [a(3)] };
    const desired = desiredPathway(withLabs);
    expect(desired.sendUln.requiredDVNs.map((x) => x.toLowerCase())).toEqual([a(3), a(6)]);
    expect(desired.sendUln.requiredDVNCount).toBe(2);
    expect(desired.receiveUln.requiredDVNs.map((x) => x.toLowerCase())).toEqual([a(3), a(7)]);
    expect(planPathway(wired(), desired)).toEqual([{ kind: 'setSendConfig', executor: false, uln: true }, { kind: 'setReceiveConfig' }]);
  });

  it('rewrites only the enforced options that differ', () => {
    const state = wired();
    state.enforcedOptions = { ...state.enforcedOptions, [MSG_WITHDRAW_REQUEST]: enforcedOptionsHex({ 2: 1 })[2]! };
    expect(planPathway(state, desiredPathway(side))).toEqual([{ kind: 'setEnforcedOptions', messageTypes: [MSG_WITHDRAW_REQUEST] }]);
  });

  it('compares worker fees exactly', () => {
    expect(workerConfigEquals({ enabled: true, dvnFee: 1n, executorFee: 2n }, { enabled: true, dvnFee: 1n, executorFee: 2n })).toBe(true);
    expect(workerConfigEquals({ enabled: false, dvnFee: 1n, executorFee: 2n }, { enabled: true, dvnFee: 1n, executorFee: 2n })).toBe(false);
    expect(workerConfigEquals({ enabled: true, dvnFee: 1n, executorFee: 3n }, { enabled: true, dvnFee: 1n, executorFee: 2n })).toBe(false);
  });

  it('derives enforced gas from the snapshot with headroom, falling back to the contracts default', () => {
    const gas = enforcedGasFromSnapshot(
      {
        hubReceiveAttest: { firstAttestation: { lzReceive: 84_262 } },
        withdrawalRoundTrip: { hubRequest: { lzReceive: 150_000 }, vaultRelease: { lzReceive: 222_981 } },
        withdrawalRejectedOnArrival: { hubReceive: { lzReceive: 315_607 } },
      },
      1.5,
    );
    expect(gas.vaultToHub).toEqual({
      [MSG_ATTEST]: 130_000,
      [MSG_WITHDRAW_REQUEST]: 480_000,
      [MSG_AUCTION_RESULT]: DEFAULT_RECEIVE_GAS[MSG_AUCTION_RESULT],
      [MSG_HEARTBEAT]: DEFAULT_RECEIVE_GAS[MSG_HEARTBEAT],
    });
    expect(gas.sources[MSG_WITHDRAW_REQUEST]).toContain('withdrawalRejectedOnArrival.hubReceive.lzReceive');
    expect(gas.hubToVault).toEqual({ [MSG_WITHDRAW_DECISION]: 340_000, [MSG_SEIZE]: DEFAULT_RECEIVE_GAS[MSG_SEIZE] });
    expect(gas.sources[MSG_SEIZE]).toContain('not in gas snapshot');
    expect(enforcedGasFromSnapshot({}, 2).vaultToHub[MSG_ATTEST]).toBe(DEFAULT_RECEIVE_GAS[MSG_ATTEST]);
  });

  it('pairs every collateral chain with the trading chain both ways', () => {
    const chains = [
      { eid: 1, role: 'trading' as const },
      { eid: 2, role: 'collateral' as const },
      { eid: 3, role: 'collateral' as const },
    ];
    expect(appPathways(chains).map((p) => `${p.local.eid}→${p.remote.eid}`)).toEqual(['2→1', '1→2', '3→1', '1→3']);
  });
});

describe('revert reasons', () => {
  it('names custom errors of LayerZero and of our contracts from revert data', () => {
    const endpoint = new Interface(loadLzArtifact('EndpointV2').abi);
    expect(decodeRevert(endpoint.encodeErrorResult('LZ_SameValue', []))).toBe('LZ_SameValue()');
    expect(decodeRevert('0xdeadbeef')).toBeUndefined();
    expect(decodeRevert(undefined)).toBeUndefined();
  });

  it('prices worker fees per destination from the snapshot and the destination gas price, converted between natives', () => {
    const snapshot = {
      hubReceiveAttest: { update: { verify: 50_000, commitVerification: 77_000 } },
      attestVsOft: { noopBaseline: { attestSized56: { later: 42_000 } } },
    };
    const same = workerFees({ nativeUsd: 1 }, { gasPriceWei: '2000000000', nativeUsd: 1 }, snapshot);
    expect(same).toEqual({
      dstConfig: { enabled: true, dvnFee: 50_000n * 2_000_000_000n, executorFee: 119_000n * 2_000_000_000n },
      pricing: { gasPrice: 2_000_000_000n, nativePriceRatio: 10n ** 18n },
    });
    // A destination whose native is worth half of ours: half the wei here.
    const cheaper = workerFees({ nativeUsd: 3000 }, { gasPriceWei: '2000000000', nativeUsd: 1500 }, {});
    expect(cheaper.pricing).toEqual({ gasPrice: 1_000_000_000n, nativePriceRatio: 5n * 10n ** 17n });
    expect(cheaper.dstConfig.dvnFee).toBe(BigInt(FALLBACK_DELIVERY_GAS.verify) * 1_000_000_000n);
    expect(workerFees({ nativeUsd: 1 }, { gasPriceWei: '1', nativeUsd: 1 }, {}, { dvnFee: '7', executorFee: '9' }).dstConfig).toMatchObject({
      dvnFee: 7n,
      executorFee: 9n,
    });
  });

  it("sizes the credit increase guard and the vaults' outflow limits from the deposit caps", () => {
    const config = parseDeployConfig(devnetDeployConfig({ rpcUrls: ['http://127.0.0.1:1', 'http://127.0.0.1:2', 'http://127.0.0.1:3'] }));
    const prices = { 1: 1, 2: 3000, 3: 60_000 };
    expect(vaultCapacityUsd(config, prices)).toBeCloseTo(1_150_000_000, 0); // 190M USDC + 480M WETH + 480M WBTC
    const guard = creditIncreaseGuard(config, 0.05, prices);
    expect(guard.capacity).toBe(57_500_000n * 10n ** 18n);
    expect(guard.refillPerSecond).toBe(guard.capacity / 3600n);
    expect(creditIncreaseGuard({ ...config, trading: { ...config.trading, creditIncreaseCapacity: '5' } }, 0.05, prices).capacity).toBe(5n);
    expect(outflowGuard({ depositCap: '1000000' }, 0.05)).toEqual({ capacity: 50_000n, refillPerSecond: 13n });
    expect(outflowGuard({ depositCap: '10' }, 0.05)).toEqual({ capacity: 1n, refillPerSecond: 1n });
    expect(outflowGuard({ depositCap: '1000000', rateCapacity: '7', refillPerSecond: '3' }, 0.05)).toEqual({ capacity: 7n, refillPerSecond: 3n });
    expect(bucketNeedsUpdate({ capacity: 100n, refillPerSecond: 1n }, { capacity: 100n, refillPerSecond: 1n })).toBe(false);
    expect(bucketNeedsUpdate({ capacity: 95n, refillPerSecond: 1n }, { capacity: 100n, refillPerSecond: 1n }, 0.1)).toBe(false);
    expect(bucketNeedsUpdate({ capacity: 85n, refillPerSecond: 1n }, { capacity: 100n, refillPerSecond: 1n }, 0.1)).toBe(true);
  });

  it('writes the forwarded reply value into the options of the types that carry one', () => {
    const options = enforcedOptionsHex({ [MSG_WITHDRAW_DECISION]: 350_000, [MSG_SEIZE]: 350_000 }, { [MSG_WITHDRAW_DECISION]: 123n });
    expect(options[MSG_SEIZE]).toBe(lzReceiveOptions(350_000).toLowerCase());
    expect(options[MSG_WITHDRAW_DECISION]).toBe(lzReceiveOptions(350_000, 123n).toLowerCase());
  });
});
