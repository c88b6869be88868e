import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const require = createRequire(import.meta.url);

/** Contracts whose ABIs the SDK uses (the typechain factories' `abi`; their bytecode never reaches the bundle). */
const CONTRACTS = ['CollateralVault', 'CreditManager', 'MarginHub', 'PerpMarket', 'SettlementPool', 'TestERC20'];
const ABIS = 'virtual:tributary-abis';

/** `virtual:tributary-abis`: the ABIs, read from @tributary/contracts at build time. */
function contractAbis(): Plugin {
  return {
    name: 'tributary-abis',
    resolveId: (id) => (id === ABIS ? `\0${ABIS}` : null),
    load(id) {
      if (id !== `\0${ABIS}`) return null;
      const contracts = require('@tributary/contracts') as Record<string, { abi: unknown }>;
      const abis = Object.fromEntries(CONTRACTS.map((name) => [name, contracts[`${name}__factory`]!.abi]));
      return `export const abis = ${JSON.stringify(abis)};`;
    },
  };
}

/** A devnet's web server (deploy/src/devnet/web-server.ts) for `vite` dev mode: config and API proxies. */
const devnet = process.env.TRIBUTARY_WEB_DEVNET ?? 'http://127.0.0.1:3200';

export default defineConfig({
  plugins: [react(), contractAbis()],
  resolve: {
    // The SDK and the protocol from their ES sources (tree-shaken); contracts as ABIs only; no file system in a browser.
    alias: [
      { find: /^@tributary\/sdk$/, replacement: here('../sdk/src/index.ts') },
      { find: /^@tributary\/protocol$/, replacement: here('../protocol/src/index.ts') },
      { find: /^@tributary\/contracts$/, replacement: here('./src/shims/contracts.ts') },
      { find: /^node:fs$/, replacement: here('./src/shims/node-fs.ts') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1600 },
  server: { proxy: { '/api': devnet, '/config.json': devnet } },
});
