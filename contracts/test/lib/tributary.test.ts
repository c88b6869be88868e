import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import {
  HUB_TO_VAULT_GAS,
  MSG_ATTEST,
  MSG_SEIZE,
  VAULT_TO_HUB_GAS,
  addressToBytes32,
  connectVaultToHub,
  ensureNativeBalance,
  listAsset,
  lzReceiveOptions,
  setEnforcedOptions,
} from '../../lib';
import { EID_A, EID_HUB, USDC, deployProtocol } from '../helpers/fixture';

describe('lib deploy helpers', () => {
  it('are idempotent: a second run sends no transaction', async () => {
    const p = await loadFixture(deployProtocol);
    const blockBefore = await p.deployer.provider!.getBlockNumber();
    expect(await listAsset(p.vaultA, { assetId: USDC, token: await p.usdc.getAddress(), depositCap: 1n })).to.equal(false);
    expect(await setEnforcedOptions(p.vaultA, EID_HUB, VAULT_TO_HUB_GAS)).to.equal(false);
    expect(await ensureNativeBalance(p.deployer, await p.hub.getAddress(), parseEther('0.5'))).to.equal(false);
    await connectVaultToHub({ hub: p.hub, hubEid: EID_HUB, vault: p.vaultA, vaultEid: EID_A });
    expect(await p.deployer.provider!.getBlockNumber()).to.equal(blockBefore);
  });

  it('wire peers both ways and the enforced options of every message type', async () => {
    const p = await loadFixture(deployProtocol);
    expect(await p.hub.peers(EID_A)).to.equal(addressToBytes32(await p.vaultA.getAddress()));
    expect(await p.vaultA.peers(EID_HUB)).to.equal(addressToBytes32(await p.hub.getAddress()));
    expect(await p.vaultA.enforcedOptions(EID_HUB, MSG_ATTEST)).to.equal(lzReceiveOptions(VAULT_TO_HUB_GAS[MSG_ATTEST]));
    expect(await p.hub.enforcedOptions(EID_A, MSG_SEIZE)).to.equal(lzReceiveOptions(HUB_TO_VAULT_GAS[MSG_SEIZE]));
    expect(await setEnforcedOptions(p.hub, EID_A, { [MSG_SEIZE]: 500_000 })).to.equal(true);
    expect(await p.hub.enforcedOptions(EID_A, MSG_SEIZE)).to.equal(lzReceiveOptions(500_000));
  });
});
