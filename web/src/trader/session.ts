import { useEffect, useMemo, useState } from 'react';
import { TributaryClient } from '@tributary/sdk';
import { useAccount, useConfig } from 'wagmi';
import { useServices } from '../api/context';
import { KnownAccounts } from '../api/known-accounts';
import { InjectedChainSigner } from '../config/injected-signer';

/** Who the trader view acts as: a devnet demo account (its key from the devnet), or the connected browser wallet. */
export type TraderChoice = { mode: 'demo'; index: number } | { mode: 'injected' } | { mode: 'none' };

export interface TraderSession {
  client: TributaryClient;
  /** Whether the ledger knows the account, fed by the account's event stream (the client's fetch consults it). */
  known: KnownAccounts;
  address: string;
  label: string;
}

const STORAGE_KEY = 'tributary.trader';

function storedChoice(): TraderChoice {
  const stored = window.localStorage.getItem(STORAGE_KEY) ?? '';
  if (stored === 'injected') return { mode: 'injected' };
  const demo = /^demo:(\d+)$/.exec(stored);
  return demo ? { mode: 'demo', index: Number(demo[1]) } : { mode: 'none' };
}

/** The choice (kept across reloads) and the SDK client it makes; the client's providers stop when it changes. */
export function useTraderSession(): { choice: TraderChoice; choose: (choice: TraderChoice) => void; session: TraderSession | null } {
  const { config } = useServices();
  const wagmi = useConfig();
  const wallet = useAccount();
  const [choice, setChoice] = useState<TraderChoice>(storedChoice);

  const choose = (next: TraderChoice) => {
    window.localStorage.setItem(STORAGE_KEY, next.mode === 'demo' ? `demo:${next.index}` : next.mode);
    setChoice(next);
  };

  const demo = choice.mode === 'demo' ? config.demoAccounts.find((a) => a.index === choice.index) : undefined;
  const injectedAddress = choice.mode === 'injected' && wallet.status === 'connected' ? wallet.address : undefined;

  const session = useMemo<TraderSession | null>(() => {
    const known = new KnownAccounts();
    const common = { manifest: config.manifest, aggregatorUrl: config.aggregatorUrl, fetch: known.fetch };
    if (demo) {
      const client = new TributaryClient({ ...common, privateKey: demo.privateKey });
      return { client, known, address: client.address, label: `demo account ${demo.index}` };
    }
    if (injectedAddress) {
      const client = new TributaryClient({
        ...common,
        address: injectedAddress,
        signer: (chain, provider) => new InjectedChainSigner(wagmi, chain.chainId, injectedAddress, provider),
      });
      return { client, known, address: client.address, label: 'browser wallet' };
    }
    return null;
  }, [config, demo, injectedAddress, wagmi]);

  useEffect(() => () => session?.client.close(), [session]);
  return { choice, choose, session };
}
