import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HDNodeWallet, Mnemonic } from 'ethers';
import { CollateralVault__factory, MarginHub__factory, PerpMarket__factory } from '@tributary/contracts';

// The production bundle (web/dist, built before this test) must never hold a private key: demo keys reach the page
// only at run time from a devnet's /config.json. Checked against Hardhat's public dev mnemonic and its first 20 keys.
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const dist = join(__dirname, '..', 'dist');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('production bundle', () => {
  it('is built, holds no dev mnemonic or dev private key, and none of our contracts’ bytecode', () => {
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
    const text = files(dist)
      .filter((f) => /\.(js|html|css|json)$/.test(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
      .toLowerCase();
    expect(text).not.toContain(DEV_MNEMONIC);
    const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0");
    for (let i = 0; i < 20; i++) expect(text).not.toContain(root.deriveChild(i).privateKey.slice(2).toLowerCase());
    // The SDK's contracts come as ABIs only (web/src/shims/contracts.ts): none of their bytecode.
    for (const factory of [CollateralVault__factory, MarginHub__factory, PerpMarket__factory])
      expect(text).not.toContain(factory.bytecode.slice(2000, 2200).toLowerCase());
  });
});
