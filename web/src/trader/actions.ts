import type { Operation, QuoteParams, StageListener, TributaryClient, WhatIfChange } from '@tributary/sdk';
import { formatAmount } from '../lib/format';
import type { ActionKind } from '../lib/stages';

/** One action as the form holds it (human units; a size is signed). */
export type ActionRequest =
  | { kind: 'deposit' | 'withdraw'; chain: string; asset: string; amount: string }
  | { kind: 'trade'; asset: string; size: string }
  | { kind: 'close'; asset: string }
  | { kind: 'repay' | 'withdraw-cash'; amount: string };

export const ACTION_TITLES: Record<ActionKind, string> = {
  deposit: 'Deposit',
  withdraw: 'Withdraw',
  trade: 'Trade',
  close: 'Close',
  repay: 'Repay debt',
  'withdraw-cash': 'Withdraw cash',
};

const POSITIVE = /^\d+(\.\d+)?$/;
const SIGNED = /^[+-]?\d+(\.\d+)?$/;

/** What is wrong with the form, in a sentence (null: it can be reviewed). */
export function validate(request: ActionRequest): string | null {
  switch (request.kind) {
    case 'deposit':
    case 'withdraw':
    case 'repay':
    case 'withdraw-cash':
      if (!POSITIVE.test(request.amount.trim()) || Number(request.amount) <= 0) return 'Enter an amount above 0 (digits and a decimal point).';
      return null;
    case 'trade':
      if (!SIGNED.test(request.size.trim()) || Number(request.size) === 0)
        return 'Enter a size other than 0: positive buys (long), negative sells (short).';
      return null;
    case 'close':
      return null;
  }
}

/** One line for the confirmation: `Deposit 1,000 USDC on collateral-a`. */
export function describe(request: ActionRequest): string {
  switch (request.kind) {
    case 'deposit':
      return `Deposit ${formatAmount(request.amount, request.asset)} on ${request.chain}`;
    case 'withdraw':
      return `Withdraw ${formatAmount(request.amount, request.asset)} from ${request.chain}`;
    case 'trade': {
      const size = Number(request.size);
      return `${size > 0 ? 'Buy (long)' : 'Sell (short)'} ${formatAmount(Math.abs(size), request.asset)} perp`;
    }
    case 'close':
      return `Close the whole ${request.asset} position`;
    case 'repay':
      return `Repay ${formatAmount(request.amount, 'USDC')} into the settlement pool`;
    case 'withdraw-cash':
      return `Withdraw ${formatAmount(request.amount, 'USDC')} of cash`;
  }
}

export function quoteParams(request: ActionRequest): QuoteParams {
  switch (request.kind) {
    case 'deposit':
    case 'withdraw':
      return { action: request.kind, chain: request.chain, asset: request.asset, amount: request.amount.trim() };
    case 'trade':
      return { action: 'trade', asset: request.asset, size: request.size.trim() };
    case 'close':
      return { action: 'close', asset: request.asset };
    case 'repay':
    case 'withdraw-cash':
      return { action: request.kind, amount: request.amount.trim() };
  }
}

/** The what-if changes of the action (a close needs the position's size; null: no position to close). */
export function whatIfChanges(request: ActionRequest, positionSize: (asset: string) => string | null): WhatIfChange[] | null {
  switch (request.kind) {
    case 'deposit':
      return [{ deposit: { chain: request.chain, asset: request.asset, amount: request.amount.trim() } }];
    case 'withdraw':
      return [{ withdraw: { chain: request.chain, asset: request.asset, amount: request.amount.trim() } }];
    case 'trade':
      return [{ trade: { asset: request.asset, size: request.size.trim() } }];
    case 'close': {
      const size = positionSize(request.asset);
      if (!size || Number(size) === 0) return null;
      return [{ trade: { asset: request.asset, size: size.startsWith('-') ? size.slice(1) : `-${size}` } }];
    }
    case 'repay':
      return [{ cash: request.amount.trim() }];
    case 'withdraw-cash':
      return [{ cash: `-${request.amount.trim()}` }];
  }
}

/** Starts the action through the SDK; stages go to `onStage` as they happen. */
export function start(client: TributaryClient, request: ActionRequest, onStage: StageListener): Operation<unknown> {
  switch (request.kind) {
    case 'deposit':
      return client.deposit({ chain: request.chain, asset: request.asset, amount: request.amount.trim() }, onStage);
    case 'withdraw':
      return client.withdraw({ chain: request.chain, asset: request.asset, amount: request.amount.trim() }, onStage);
    case 'trade':
      return client.trade({ asset: request.asset, size: request.size.trim() }, onStage);
    case 'close':
      return client.closePosition({ asset: request.asset }, onStage);
    case 'repay':
      return client.repay({ amount: request.amount.trim() }, onStage);
    case 'withdraw-cash':
      return client.withdrawCash({ amount: request.amount.trim() }, onStage);
  }
}
