import type { ChainParamReads } from '../../src/chain/risk-params.repository';

/** A RiskParameters on a fake trading chain: `reads` is what the chain holds at `block`; `changes` the blocks with a change log. */
export class FakeParamsChain {
  block = 10;
  changes: number[] = [];
  available = true;
  address = '0x00000000000000000000000000000000000000a1';
  reads: Omit<ChainParamReads, 'block'> = { assets: [], chains: [], markets: [], exposureCaps: [], stable: [], globals: null };
  latestBlock = async () => this.block;
  changeBlocks = async (from: number, to: number) => this.changes.filter((b) => b >= from && b <= to);
  read = async (block: number): Promise<ChainParamReads> => ({ block, ...this.reads });
}
