import { useId, type ReactNode } from 'react';
import type { AccountSummary, TolerantAccountLedger } from '@tributary/sdk';
import { erc20Abi, formatEther, formatUnits, type Address } from 'viem';
import { useBalance, useReadContract } from 'wagmi';
import { useServices } from '../api/context';
import { formatAmount, formatNative } from '../lib/format';
import type { ActionRequest } from './actions';

export interface FieldValues {
  chain: string;
  asset: string;
  amount: string;
  size: string;
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function NumberField({
  label,
  unit,
  value,
  onChange,
  hint,
  extra,
}: {
  label: string;
  unit: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  extra?: ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="with-unit">
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          aria-describedby={hint ? hintId : undefined}
          onChange={(e) => onChange(e.target.value.replace(',', '.'))}
        />
        <span className="unit">{unit}</span>
        {extra}
      </div>
      {hint ? (
        <small id={hintId} className="muted">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** The trader's own tokens on the chosen chain (wagmi reads over the manifest's RPC): what a deposit can take. */
function WalletBalance({ address, chain, asset }: { address: string; chain: string; asset: string }) {
  const { deployment } = useServices();
  const target = deployment.collateralChain(chain);
  const listed = deployment.chainAsset(target, asset);
  const token = useReadContract({
    address: listed.token as Address,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [address as Address],
    chainId: target.chainId,
    query: { refetchInterval: 5000 },
  });
  const native = useBalance({ address: address as Address, chainId: target.chainId, query: { refetchInterval: 5000 } });
  return (
    <p className="muted small" data-testid="wallet-balance">
      In your wallet on {chain}: {token.data === undefined ? '…' : formatAmount(formatUnits(token.data, listed.decimals), asset)} ·{' '}
      {native.data ? formatNative(formatEther(native.data.value)) : '…'} for fees
    </p>
  );
}

/**
 * The request the form stands for: the chosen chain, and the chosen asset when it is listed there (else the chain's
 * first), market or position (else the first one).
 */
export function effectiveRequest(
  kind: ActionRequest['kind'],
  values: FieldValues,
  deployment: ReturnType<typeof useServices>['deployment'],
  markets: readonly string[],
  positions: readonly string[],
): ActionRequest {
  const pick = (options: readonly string[], wanted: string) => (options.includes(wanted) ? wanted : (options[0] ?? ''));
  switch (kind) {
    case 'deposit':
    case 'withdraw': {
      const chains = deployment.collateralChains;
      const chain = chains.find((c) => c.name === values.chain) ?? chains[0]!;
      const asset = pick(
        chain.assets.map((a) => deployment.symbol(a.assetId)),
        values.asset,
      );
      return { kind, chain: chain.name, asset, amount: values.amount };
    }
    case 'trade':
      return { kind, asset: pick(markets, values.asset), size: values.size };
    case 'close':
      return { kind, asset: pick(positions, values.asset) };
    default:
      return { kind, amount: values.amount };
  }
}

/** The inputs of the chosen action. */
export function ActionFields({
  request,
  values,
  set,
  address,
  account,
  ledger,
  markets,
}: {
  request: ActionRequest;
  markets: readonly string[];
  values: FieldValues;
  set: (patch: Partial<FieldValues>) => void;
  address: string;
  account: AccountSummary | undefined;
  ledger: TolerantAccountLedger | null | undefined;
}) {
  const { deployment } = useServices();
  const kind = request.kind;
  const chains = deployment.collateralChains;

  if (request.kind === 'deposit' || request.kind === 'withdraw') {
    const chain = deployment.collateralChain(request.chain);
    const assets = chain.assets.map((a) => deployment.symbol(a.assetId));
    const asset = request.asset;
    const max = kind === 'withdraw' && chain ? ledger?.withdrawable?.find((w) => w.eid === chain.eid && w.symbol === asset) : undefined;
    const decimals = chain && asset ? deployment.chainAsset(chain, asset).decimals : 18;
    return (
      <>
        <Select
          label="Chain"
          value={chain?.name ?? ''}
          options={chains.map((c) => ({ value: c.name, label: c.name }))}
          onChange={(v) => set({ chain: v })}
        />
        <Select label="Asset" value={asset} options={assets.map((a) => ({ value: a, label: a }))} onChange={(v) => set({ asset: v })} />
        <NumberField
          label="Amount"
          unit={asset}
          value={values.amount}
          onChange={(v) => set({ amount: v })}
          hint={max ? `At most ${formatAmount(formatUnits(BigInt(max.amount), decimals), asset)} now (limited by ${max.limitedBy}).` : undefined}
          extra={
            max && BigInt(max.amount) > 0n ? (
              <button type="button" className="secondary small" onClick={() => set({ amount: formatUnits(BigInt(max.amount), decimals) })}>
                Max
              </button>
            ) : null
          }
        />
        {kind === 'deposit' && chain && asset ? <WalletBalance address={address} chain={chain.name} asset={asset} /> : null}
      </>
    );
  }
  if (request.kind === 'trade' || request.kind === 'close') {
    const options = kind === 'close' ? (account?.positions ?? []).map((p) => p.market) : markets;
    const asset = request.asset;
    if (options.length === 0) return <p className="muted">{kind === 'close' ? 'No open position to close.' : 'Loading markets…'}</p>;
    return (
      <>
        <Select label="Market" value={asset} options={options.map((a) => ({ value: a, label: `${a}-PERP` }))} onChange={(v) => set({ asset: v })} />
        {kind === 'trade' ? (
          <NumberField
            label="Size"
            unit={asset}
            value={values.size}
            onChange={(v) => set({ size: v })}
            hint="Positive buys (long), negative sells (short)."
          />
        ) : (
          <p className="muted small">
            Closes the whole position at the oracle price: {formatAmount(account?.positions.find((p) => p.market === asset)?.size, asset)}.
          </p>
        )}
      </>
    );
  }
  return (
    <NumberField
      label="Amount"
      unit="USDC"
      value={values.amount}
      onChange={(v) => set({ amount: v })}
      hint={
        kind === 'repay'
          ? 'USDC from your wallet on the trading chain into the settlement pool: cash rises.'
          : `Positive cash out as USDC on the trading chain (withdrawable now: ${formatAmount(account?.credit.withdrawableCash, 'USD', 2)}).`
      }
    />
  );
}
