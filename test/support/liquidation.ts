import { Contract, type JsonRpcProvider } from 'ethers';
import { ICollateralAuction__factory, devWallet } from '@tributary/contracts';
import type { Devnet } from '@tributary/deploy';
import type { Deployment } from './harness';

const ERC20 = ['function balanceOf(address) view returns (uint256)', 'function totalSupply() view returns (uint256)'];

/** What `GET /v1/liquidations` says of one account. */
export interface LiquidationItem {
  account: string;
  health: number | null;
  stage: string;
  outcome: string | null;
  run: number | null;
  fraction: number | null;
  liquidations: number;
  seizures: number;
  settlements: number;
  startedAt: string | null;
  liquidatedAt: string | null;
  seizedAt: string | null;
  doneAt: string | null;
  error: string | null;
}

/** Every address that may hold a test token in the devnet: protocol contracts and dev accounts 0–21. */
async function knownHolders(devnet: Devnet, d: Deployment, eid: number): Promise<string[]> {
  const chain = devnet.manifest.chains.find((c) => c.eid === eid)!;
  const c = chain.contracts as Record<string, string | undefined>;
  const holders = [c.vault, c.auction, c.settlementPool, c.insuranceFund, c.hub].filter((a): a is string => !!a);
  if (c.auction) holders.push(await ICollateralAuction__factory.connect(c.auction, d.providers.get(eid)!).treasury());
  for (let i = 0; i <= 21; i++) holders.push(devWallet(i).address);
  return [...new Set(holders.map((h) => h.toLowerCase()))];
}

/**
 * Tokens are conserved: on every chain, every test token's supply is held by the vault, the auction (and its
 * treasury), the pool, the fund and the dev accounts — nothing leaked to an unknown address or got stuck elsewhere.
 * Returns the protocol's holdings per `chain:symbol:holder` (for before/after comparisons).
 */
export async function assertTokensConserved(devnet: Devnet, d: Deployment): Promise<Map<string, bigint>> {
  const held = new Map<string, bigint>();
  for (const chain of devnet.sidecar.chains) {
    const provider: JsonRpcProvider = d.providers.get(chain.eid)!;
    const holders = await knownHolders(devnet, d, chain.eid);
    for (const [symbol, address] of Object.entries(chain.testTokens ?? {})) {
      const token = new Contract(address, ERC20, provider);
      const balances = await Promise.all(holders.map((h) => token.balanceOf(h) as Promise<bigint>));
      const supply = (await token.totalSupply()) as bigint;
      const sum = balances.reduce((a, b) => a + b, 0n);
      if (sum !== supply) throw new Error(`${symbol} on eid ${chain.eid}: known holders ${sum} ≠ supply ${supply}`);
      holders.forEach((h, i) => held.set(`${chain.eid}:${symbol}:${h}`, balances[i]));
    }
  }
  return held;
}

/** Sets an asset's price on the trading chain's feed and on every collateral chain's auction feed (the oracle key). */
export async function setPriceEverywhere(_devnet: Devnet, d: Deployment, symbol: string, usd: number): Promise<void> {
  await d.setPrice(symbol, usd); // the trading oracle and every collateral chain's auction feed of the asset
}
