import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeExport, type Export, type ExportedChain, type ExportedPathway } from './export';

/**
 * LayerZero's own check of a Tributary deployment: three hardhat nodes, `tributary deploy` with endpoint ids that
 * LayerZero's definitions know, the deployment exported in LayerZero's conventions, then
 * `hardhat lz:oapp:wire --oapp-config layerzero.config.ts --assert` (exit 0 = every peer, library, ULN/executor
 * config and enforced option on chain is what the config says). Then the old ULN config (optionalDVNCount 0) is
 * written on one pathway and the same check must fail.
 */
// The workspace's built packages (npm run build at the root first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const contracts = require(resolve(__dirname, '..', '..', 'contracts', 'dist', 'lib', 'index.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deployPackage = require(resolve(__dirname, '..', '..', 'deploy', 'dist', 'index.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { devnetDeployConfig } = require(resolve(__dirname, '..', '..', 'deploy', 'dist', 'devnet', 'devnet-config.js'));

const PORT = Number(process.env.LZ_CHECK_PORT ?? 18995);
const NETWORKS: Record<string, { network: string; eid: number }> = {
  trading: { network: 'sepolia-testnet', eid: 40161 },
  'collateral-a': { network: 'arbitrum-sepolia', eid: 40231 },
  'collateral-b': { network: 'optimism-sepolia', eid: 40232 },
};

function assertWiring(): number {
  const hardhat = require.resolve('hardhat/internal/cli/cli', { paths: [resolve(__dirname, '..')] });
  const run = spawnSync(process.execPath, [hardhat, 'lz:oapp:wire', '--oapp-config', 'layerzero.config.ts', '--assert'], {
    cwd: resolve(__dirname, '..'),
    stdio: 'inherit',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  return run.status ?? 1;
}

async function main(): Promise<void> {
  const chains: { stop(): Promise<void>; rpcUrl: string }[] = [];
  try {
    const names = Object.keys(NETWORKS);
    const nodes = await Promise.all(names.map((_, i) => contracts.startHardhatNode({ chainId: 31337 + i, port: PORT + i })));
    chains.push(...nodes);
    const input = devnetDeployConfig({ rpcUrls: nodes.map((n: { rpcUrl: string }) => n.rpcUrl) });
    input.chains = input.chains.map((c: { name: string }) => ({ ...c, eid: NETWORKS[c.name]!.eid }));
    const config = deployPackage.parseDeployConfig(input);
    const manifestPath = join(mkdtempSync(join(tmpdir(), 'lz-check-')), 'manifest.json');
    console.log(`deploying on ${names.map((n) => `${n} (eid ${NETWORKS[n]!.eid})`).join(', ')}…`);
    const { manifest } = await deployPackage.deploy({ config, manifestPath, env: { DEPLOYER_PRIVATE_KEY: '' } });
    const exported: ExportedChain[] = manifest.chains.map((c: Record<string, any>) => ({
      network: NETWORKS[c.name]!.network,
      eid: c.eid,
      chainId: c.chainId,
      rpcUrl: c.rpcUrl,
      contractName: c.role === 'trading' ? 'MarginHub' : 'CollateralVault',
      address: c.contracts.hub ?? c.contracts.vault,
      sendUln302: c.layerZero.sendUln302,
      receiveUln302: c.layerZero.receiveUln302,
      executor: c.layerZero.worker,
      confirmations: c.confirmations,
      sendDvns: contracts.sortAddresses([c.layerZero.worker, c.layerZero.verifierWorker]),
      // The receive-side DVNs are the operators' DeliveryWorker contracts where deployed (else their keys).
      receiveDvns: contracts.sortAddresses([
        c.layerZero.deliveryWorker ?? c.layerZero.dvnSigner,
        c.layerZero.verifierDeliveryWorker ?? c.layerZero.verifierSigner,
      ]),
    }));
    const pathways: ExportedPathway[] = [];
    for (const local of manifest.chains) {
      const remotes =
        local.role === 'trading'
          ? manifest.chains.filter((c: { role: string }) => c.role === 'collateral')
          : [manifest.chains.find((c: { role: string }) => c.role === 'trading')];
      const types =
        local.role === 'trading' ? [contracts.MSG_WITHDRAW_DECISION, contracts.MSG_SEIZE] : [contracts.MSG_ATTEST, contracts.MSG_WITHDRAW_REQUEST];
      const provider = deployPackage.makeProvider(local.rpcUrl, local.chainId);
      // The workspace's ethers v6 (lz-check's own node_modules hold LayerZero's ethers v5).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Contract } = require(require.resolve('ethers', { paths: [resolve(__dirname, '..', '..', 'deploy')] }));
      const oapp = new Contract(
        local.contracts.hub ?? local.contracts.vault,
        ['function enforcedOptions(uint32,uint16) view returns (bytes)'],
        provider,
      );
      for (const remote of remotes) {
        const enforcedOptions = [];
        for (const msgType of types) {
          const options = await oapp.getFunction('enforcedOptions')(remote.eid, msgType);
          const { gas, value } = contracts.decodeLzReceiveOptions(options);
          enforcedOptions.push({ msgType, gas: gas.toString(), value: value.toString() });
        }
        pathways.push({ from: NETWORKS[local.name]!.network, to: NETWORKS[remote.name]!.network, enforcedOptions });
      }
      provider.destroy();
    }
    const data: Export = { chains: exported, pathways, maxMessageSize: config.maxMessageSize, deployerKey: contracts.devWallet(0).privateKey };
    writeExport(data);
    console.log(`exported ${exported.length} OApps and ${pathways.length} pathways to deployments/ and generated/pathways.json`);

    const passed = assertWiring();
    if (passed !== 0) throw new Error(`lz:oapp:wire --assert failed (exit ${passed}) on the deployment as deploy wrote it`);
    console.log('lz:oapp:wire --assert: every pathway as configured');

    // Control: the ULN config earlier deploys wrote (optionalDVNCount 0 = the endpoint's default optional DVNs).
    const vaultChain = manifest.chains.find((c: { name: string }) => c.name === 'collateral-a');
    const trading = manifest.chains.find((c: { role: string }) => c.role === 'trading');
    const provider = deployPackage.makeProvider(vaultChain.rpcUrl, vaultChain.chainId);
    const endpoint = contracts.lzContract('EndpointV2', vaultChain.layerZero.endpoint, contracts.devWallet(0, provider));
    const old = contracts.encodeUlnConfig(trading.confirmations, [
      vaultChain.layerZero.deliveryWorker ?? vaultChain.layerZero.dvnSigner,
      vaultChain.layerZero.verifierDeliveryWorker ?? vaultChain.layerZero.verifierSigner,
    ]);
    await (
      await endpoint.setConfig(vaultChain.contracts.vault, vaultChain.layerZero.receiveUln302, [{ eid: trading.eid, configType: 2, config: old }])
    ).wait();
    provider.destroy();
    const failed = assertWiring();
    if (failed === 0) throw new Error('lz:oapp:wire --assert passed with optionalDVNCount 0 on a pathway: the check would not catch it');
    console.log('lz:oapp:wire --assert: flags the old optionalDVNCount 0 (control)');
    console.log('lz-check passed');
  } finally {
    await Promise.all(chains.map((c) => c.stop()));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
