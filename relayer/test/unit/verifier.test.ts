import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PacketV1Codec } from '@layerzerolabs/lz-v2-utilities';
import { Transaction, Wallet, keccak256, solidityPacked, zeroPadValue } from 'ethers';
import { decodeSignedTx, type SignedTx, type TxJournal, type TxRequest, type TxSender } from '@tributary/service-kit';
import { RECEIVE_ULN_ABI } from '../../src/chain/abis';
import { SignerKeys, loadRelayerConfig } from '../../src/config/relayer-config.load';
import { relayerConfigFromManifest } from '../../src/config/manifest-config';
import { completesVerification } from '../../src/core/sole-dvn';
import { replaceChainedGroup } from '../../src/pipeline/chained-group';
import { SuspectLedger, judge, parseHeader, type ForeignVerification } from '../../src/verifier/forgery';
import { loadVerifierAppConfig } from '../../src/verifier/verifier-config';

const A = (n: number) => '0x' + n.toString(16).padStart(40, '0');
const us = '0x' + '1'.repeat(40);
const verifier = '0x' + '2'.repeat(40);
const labs = '0x' + '3'.repeat(40);

describe('completesVerification: may the relayer chain commitVerification behind its own verify?', () => {
  it('yes when we are the only required DVN', () => {
    expect(completesVerification({ requiredDVNs: [us], optionalDVNThreshold: 0 }, us, () => false)).toBe(true);
  });

  it('only once every other required DVN has verified', () => {
    const config = { requiredDVNs: [us, verifier], optionalDVNThreshold: 0 };
    expect(completesVerification(config, us, () => false)).toBe(false);
    expect(completesVerification(config, us, (dvn) => dvn === verifier)).toBe(true);
    const three = { requiredDVNs: [us, verifier, labs], optionalDVNThreshold: 0 };
    expect(completesVerification(three, us, (dvn) => dvn === verifier)).toBe(false);
    expect(completesVerification(three, us, () => true)).toBe(true);
  });

  it('counts optional DVNs up to the threshold, ourselves included when we are one of them', () => {
    const config = { requiredDVNs: [verifier], optionalDVNs: [us, labs], optionalDVNThreshold: 2 };
    expect(completesVerification(config, us, (dvn) => dvn === verifier)).toBe(false);
    expect(completesVerification(config, us, () => true)).toBe(true);
    expect(completesVerification({ ...config, optionalDVNThreshold: 1 }, us, (dvn) => dvn === verifier)).toBe(true);
  });
});

describe('forgery detection', () => {
  const sender = zeroPadValue('0x' + 'aa'.repeat(20), 32);
  const receiver = '0x' + 'Bb'.repeat(20);
  const header = solidityPacked(
    ['uint8', 'uint64', 'uint32', 'bytes32', 'uint32', 'bytes32'],
    [1, 7, 40102, sender, 40101, zeroPadValue(receiver, 32)],
  );

  it("reads a packet header and LayerZero's guid from it", () => {
    const fields = parseHeader(header);
    expect(fields).toMatchObject({ nonce: 7, srcEid: 40102, sender: sender.toLowerCase(), dstEid: 40101 });
    expect(fields.receiver.toLowerCase()).toBe(receiver.toLowerCase());
    // LayerZero's GUID.generate(nonce, srcEid, sender, dstEid, receiver).
    const guid = keccak256(
      solidityPacked(['uint64', 'uint32', 'bytes32', 'uint32', 'bytes32'], [7, 40102, sender, 40101, zeroPadValue(receiver, 32)]),
    );
    expect(fields.guid).toBe(guid.toLowerCase());
    // The same header as the one a real packet carries (PacketV1Codec reads it back).
    const packet = PacketV1Codec.fromBytes(Buffer.from((header + guid.slice(2) + 'beef').slice(2), 'hex'));
    expect(packet.header().toLowerCase()).toBe(header.toLowerCase());
  });

  it('judges: matched by the same payload hash, forged once the source scan passed the head of the sighting, else pending', () => {
    const v = { payloadHash: '0xab', sourceHeadAtSight: 100 };
    expect(judge(v, '0xAB', null)).toBe('matched');
    expect(judge(v, undefined, 100)).toBe('pending');
    expect(judge(v, undefined, 101)).toBe('forged');
    expect(judge(v, '0xcd', 101)).toBe('forged'); // the source sent other content under that guid
    expect(judge(v, '0xcd', 50)).toBe('pending');
  });

  it('settles each suspect once: a forged one is reported a single time, a matched one silently', async () => {
    const ledger = new SuspectLedger();
    const base = { ...parseHeader(header), dvn: us, blockNumber: 5, txHash: '0x01', sourceHeadAtSight: 10 };
    const forged: ForeignVerification = { ...base, payloadHash: '0x' + '0f'.repeat(32) };
    const genuine: ForeignVerification = { ...base, nonce: 8, guid: '0x' + '08'.repeat(32), payloadHash: '0x' + '11'.repeat(32) };
    ledger.add(forged);
    ledger.add(forged);
    ledger.add(genuine);
    expect(ledger.size).toBe(2);
    const store = new Map([[genuine.guid, genuine.payloadHash]]);
    let scanned = 5;
    const settle = () =>
      ledger.settle(
        async (guid) => store.get(guid),
        async () => scanned,
      );
    expect(await settle()).toEqual({ matched: 1, forged: [] });
    scanned = 11;
    expect((await settle()).forged).toEqual([forged]);
    expect(await settle()).toEqual({ matched: 0, forged: [] });
  });
});

describe('the verifier reads only its own settings', () => {
  const key = Wallet.createRandom().privateKey;

  it('maps VERIFIER_* onto its app config and never reads the relayer’s store or port', () => {
    const config = loadVerifierAppConfig({
      SQLITE_PATH: '/tmp/relayer.sqlite',
      DATABASE_URL: 'postgres://relayer',
      PORT: '3100',
      VERIFIER_SQLITE_PATH: '/tmp/verifier.sqlite',
      MANIFEST_PATH: '/tmp/manifest.json',
    });
    expect(config).toMatchObject({ PORT: 3300, SQLITE_PATH: '/tmp/verifier.sqlite', MANIFEST_PATH: '/tmp/manifest.json' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(() => loadVerifierAppConfig({ VERIFIER_DATABASE_URL: 'postgres://x/y' })).toThrow(/VERIFIER_DATABASE_SCHEMA/);
  });

  it('signs with VERIFIER_PRIVATE_KEY only (RELAYER_PRIVATE_KEY is not a fallback); chain overrides are VERIFIER_CHAIN_*', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verifier-config-'));
    const path = join(dir, 'verifier.json');
    const chain = (name: string, eid: number) => ({
      name,
      eid,
      chainId: eid,
      rpcUrl: 'http://127.0.0.1:1',
      confirmations: 1,
      endpoint: A(1),
      receiveUln302: A(2),
      worker: A(3),
    });
    writeFileSync(
      path,
      JSON.stringify({
        chains: [chain('alpha', 40101), chain('beta', 40102)],
        pathways: [{ srcEid: 40101, sender: A(10), dstEid: 40102, receiver: A(11) }],
      }),
    );
    const config = loadRelayerConfig({
      configPath: path,
      role: 'verifier',
      env: { RELAYER_CHAIN_ALPHA_RPC_URL: 'http://relayer:1', VERIFIER_CHAIN_BETA_RPC_URL: 'http://verifier:2' },
    });
    expect(config.chains.map((c) => c.rpcUrl)).toEqual(['http://127.0.0.1:1', 'http://verifier:2']);
    expect(() => SignerKeys.fromEnv(config, { RELAYER_PRIVATE_KEY: key }, 'VERIFIER')).toThrow(/VERIFIER_PRIVATE_KEY_BETA or VERIFIER_PRIVATE_KEY/);
    expect(SignerKeys.fromEnv(config, { VERIFIER_PRIVATE_KEY: key }, 'VERIFIER').keyFor(40102)).toBe(key);
  });

  it('derives its config from the manifest with its own worker per chain (none recorded: refused)', () => {
    const layerZero = {
      endpoint: A(1),
      sendUln302: A(2),
      receiveUln302: A(3),
      worker: A(4),
      dvnSigner: A(5),
      verifierWorker: A(6),
      verifierSigner: A(7),
    };
    const chain = (name: string, eid: number, role: 'trading' | 'collateral', contracts: Record<string, string>) => ({
      name,
      chainId: eid,
      eid,
      rpcUrl: 'http://127.0.0.1:1',
      role,
      confirmations: 1,
      startBlock: 0,
      layerZero,
      contracts,
      assets: [],
    });
    const manifest = {
      version: 1,
      chains: [chain('hub', 40101, 'trading', { hub: A(8) }), chain('vault', 40102, 'collateral', { vault: A(9) })],
      assets: [],
      correlations: [],
    };
    const config = relayerConfigFromManifest(manifest as never, 'verifier');
    expect(config.chains.map((c) => c.worker)).toEqual([A(6), A(6)]);
    expect(relayerConfigFromManifest(manifest as never).chains.map((c) => c.worker)).toEqual([A(4), A(4)]);
    const without = { ...manifest, chains: manifest.chains.map((c) => ({ ...c, layerZero: { ...layerZero, verifierWorker: undefined } })) };
    expect(() => relayerConfigFromManifest(without as never, 'verifier')).toThrow(/no verifierWorker/);
  });
});

describe('a stuck chained group is replaced whole', () => {
  const wallet = Wallet.createRandom();
  const sign = async (nonce: number, data: string, maxFeePerGas: bigint) =>
    wallet.signTransaction({ to: A(2), data, nonce, gasLimit: 200_000n, chainId: 1, maxFeePerGas, maxPriorityFeePerGas: 1n, type: 2 });
  const verifyData = RECEIVE_ULN_ABI.encodeFunctionData('verify', ['0x01', '0x' + '00'.repeat(32), 1]);
  const commitData = RECEIVE_ULN_ABI.encodeFunctionData('commitVerification', ['0x01', '0x' + '00'.repeat(32)]);

  /** A TxSender stand-in: replace() re-signs at the stuck nonce with doubled fees, records, then "broadcasts". */
  function fakeSender(minedMeanwhile = new Set<number>()) {
    const replaced: { nonce: number; to: string; data: string }[] = [];
    const sender = {
      async replace(request: TxRequest, stuck: SignedTx, journal: TxJournal): Promise<SignedTx> {
        const raw = await sign(stuck.nonce, request.data, stuck.maxFeePerGas * 2n);
        const tx = decodeSignedTx(raw);
        await journal.record(tx);
        if (minedMeanwhile.has(stuck.nonce)) throw Object.assign(new Error('nonce too low'), { code: 'NONCE_EXPIRED' });
        replaced.push({ nonce: stuck.nonce, to: request.to, data: request.data });
        return tx;
      },
    };
    return { sender: sender as unknown as TxSender, replaced };
  }

  it('replaces every unmined earlier transaction in nonce order, storing each replacement before its broadcast', async () => {
    const chain = [await sign(4, verifyData, 10n), await sign(5, commitData, 10n)];
    const stored: string[] = [];
    const { sender, replaced } = fakeSender();
    const result = await replaceChainedGroup({ pendingChainRaw: JSON.stringify(chain) }, sender, 4, async (raw) => void stored.push(raw));
    expect(result.map((r) => [r.action, r.nonce])).toEqual([
      ['verify', 4],
      ['commit', 5],
    ]);
    expect(replaced.map((r) => r.nonce)).toEqual([4, 5]);
    const final = (JSON.parse(stored.at(-1)!) as string[]).map((raw) => Transaction.from(raw));
    expect(final.map((tx) => [tx.nonce, tx.maxFeePerGas])).toEqual([
      [4, 20n],
      [5, 20n],
    ]);
  });

  it('leaves mined ones alone (below the mined nonce, or mined while replacing)', async () => {
    const chain = [await sign(4, verifyData, 10n), await sign(5, commitData, 10n)];
    const { sender, replaced } = fakeSender(new Set([5]));
    expect(await replaceChainedGroup({ pendingChainRaw: JSON.stringify(chain) }, sender, 5, async () => undefined)).toEqual([]);
    expect(replaced).toEqual([]);
    expect(await replaceChainedGroup({ pendingChainRaw: null }, sender, 0, async () => undefined)).toEqual([]);
  });
});
