import { JsonRpcChainRpc, type ChainRpc } from '../../src/chain/chain-rpc';
import type { ChainRpcFactory } from '../../src/chain/chain-registry';

export type FaultRule = (method: keyof ChainRpc, args: unknown[], chain: string) => boolean;

/** Wraps the real RPC and throws a "crash" when an armed rule matches (each rule fires once). */
export class FaultInjector {
  private rules: { rule: FaultRule; fired: boolean; label: string }[] = [];
  readonly fired: string[] = [];

  arm(label: string, rule: FaultRule): void {
    this.rules.push({ rule, fired: false, label });
  }

  disarm(): void {
    this.rules = [];
  }

  factory(): ChainRpcFactory {
    return (chain, onError) => {
      const real = new JsonRpcChainRpc(chain, onError);
      return new Proxy(real, {
        get: (target, property, receiver) => {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            for (const entry of this.rules) {
              if (!entry.fired && entry.rule(property as keyof ChainRpc, args, chain.name)) {
                entry.fired = true;
                this.fired.push(entry.label);
                throw new Error(`simulated crash: ${entry.label}`);
              }
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    };
  }
}
