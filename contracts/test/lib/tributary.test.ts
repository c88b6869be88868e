import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import {
  HUB_TO_VAULT_GAS,
  MSG_ATTEST,
  MSG_AUCTION_RESULT,
  MSG_SEIZE,
  VAULT_TO_HUB_GAS,
  MSG_WITHDRAW_DECISION,
  MSG_WITHDRAW_REQUEST,
  addressToBytes32,
  connectCreditToHub,
  connectVaultToHub,
  decodeLzReceiveOptions,
  ensureNativeBalance,
  listAsset,
  lzReceiveOptions,
  outflowLimit,
  setEnforcedOptions,
  setVaultGuardian,
} from '../../lib';
import { EID_A, EID_HUB, USDC, deployProtocol } from '../helpers/fixture';

describe('lib deploy helpers', () => {
  it('are idempotent: a second run sends no transaction', async () => {
    const p = await loadFixture(deployProtocol);
    const blockBefore = await p.deployer.provider!.getBlockNumber();
    expect(await listAsset(p.vaultA, { assetId: USDC, token: await p.usdc.getAddress(), depositCap: 1n })).to.equal(false);
    expect(await setEnforcedOptions(p.vaultA, EID_HUB, { [MSG_ATTEST]: VAULT_TO_HUB_GAS[MSG_ATTEST] })).to.equal(false);
    expect(await setVaultGuardian(p.vaultA, p.guardian.address)).to.equal(false);
    expect(await connectCreditToHub(p.creditManager, await p.hub.getAddress())).to.equal(false);
    expect(await ensureNativeBalance(p.deployer, await p.hub.getAddress(), parseEther('0.5'))).to.equal(false);
    await connectVaultToHub({ hub: p.hub, hubEid: EID_HUB, vault: p.vaultA, vaultEid: EID_A });
    expect(await p.deployer.provider!.getBlockNumber()).to.equal(blockBefore);
  });

  it('wire peers both ways and the enforced options of every message type, replies prepaid by the requester', async () => {
    const p = await loadFixture(deployProtocol);
    expect(await p.hub.peers(EID_A)).to.equal(addressToBytes32(await p.vaultA.getAddress()));
    expect(await p.vaultA.peers(EID_HUB)).to.equal(addressToBytes32(await p.hub.getAddress()));
    expect(await p.vaultA.enforcedOptions(EID_HUB, MSG_ATTEST)).to.equal(lzReceiveOptions(VAULT_TO_HUB_GAS[MSG_ATTEST]));
    // Hub → vault messages carry the vault's ATTEST fee (SEIZE also the AUCTION_RESULT's); the request carries the
    // hub's DECISION fee.
    const attestFee = await p.vaultA.quote(MSG_ATTEST);
    const resultFee = await p.vaultA.quote(MSG_AUCTION_RESULT);
    expect(await p.hub.enforcedOptions(EID_A, MSG_SEIZE)).to.equal(lzReceiveOptions(HUB_TO_VAULT_GAS[MSG_SEIZE], attestFee + resultFee));
    expect(await p.hub.enforcedOptions(EID_A, MSG_WITHDRAW_DECISION)).to.equal(lzReceiveOptions(HUB_TO_VAULT_GAS[MSG_WITHDRAW_DECISION], attestFee));
    const decisionFee = await p.hub.quote(EID_A, MSG_WITHDRAW_DECISION);
    expect(decodeLzReceiveOptions(await p.vaultA.enforcedOptions(EID_HUB, MSG_WITHDRAW_REQUEST))).to.deep.equal({
      gas: BigInt(VAULT_TO_HUB_GAS[MSG_WITHDRAW_REQUEST]),
      value: decisionFee,
    });
    expect(await setEnforcedOptions(p.hub, EID_A, { [MSG_SEIZE]: 500_000 })).to.equal(true);
    expect(await p.hub.enforcedOptions(EID_A, MSG_SEIZE)).to.equal(lzReceiveOptions(500_000));
  });

  it('sizes a default outflow limit from the deposit cap (5 % an hour, never 0)', () => {
    expect(outflowLimit(3_600_000n)).to.deep.equal({ capacity: 180_000n, refillPerSecond: 50n });
    expect(outflowLimit(1n)).to.deep.equal({ capacity: 1n, refillPerSecond: 1n });
  });
});
