import { Interface } from 'ethers';
import { CreditManager__factory, CollateralVault__factory, PerpMarket__factory } from '@tributary/contracts';
import { RevertError, TributaryError, explainError } from '../../src';

/** What ethers throws for a reverted estimateGas on a node that returns revert data. */
const callException = (data: string) =>
  Object.assign(new Error('execution reverted'), { code: 'CALL_EXCEPTION', data, shortMessage: 'execution reverted' });

describe('revert decoding (every custom error from the generated ABIs)', () => {
  it('names a CreditManager error thrown through the PerpMarket and gives it its code', () => {
    const data = new Interface(CreditManager__factory.abi).encodeErrorResult('InsufficientCredit', [
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      10n,
      3n,
    ]);
    const error = explainError(callException(data), 'trade 1 WETH') as TributaryError;
    expect(error.code).toBe('insufficient-credit');
    expect(error.message).toBe('trade 1 WETH: InsufficientCredit(0x70997970C51812dc3A010C7d01b50e0d17dc79C8, 10, 3)');
  });

  it('a trade past a cap is position-cap, with the cap named', () => {
    const data = new Interface(PerpMarket__factory.abi).encodeErrorResult('AccountOpenInterestCap', [
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      0,
      5001n,
      5000n,
    ]);
    const error = explainError(callException(data), 'trade 5001 WETH') as TributaryError;
    expect(error.code).toBe('position-cap');
    expect(error.message).toBe('trade 5001 WETH: AccountOpenInterestCap(0x70997970C51812dc3A010C7d01b50e0d17dc79C8, 0, 5001, 5000)');
  });

  it('a paused vault, a nested provider error, an unknown error name, and a non-revert error', () => {
    const paused = new Interface(CollateralVault__factory.abi).encodeErrorResult('VaultPaused', []);
    expect((explainError({ error: { data: paused } }, 'deposit') as TributaryError).code).toBe('vault-paused');
    const zero = new Interface(CollateralVault__factory.abi).encodeErrorResult('ZeroAmount', []);
    const other = explainError(callException(zero), 'deposit');
    expect(other).toBeInstanceOf(RevertError);
    expect((other as RevertError).errorName).toBe('ZeroAmount');
    const plain = new Error('boom');
    expect(explainError(plain, 'x')).toBe(plain);
  });
});
