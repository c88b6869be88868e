/** LayerZero endpoint id: the key for per-chain state (contract addresses repeat across local chains). */
export type Eid = number & { readonly __brand: 'Eid' };

export function toEid(value: number): Eid {
  if (!Number.isInteger(value) || value <= 0 || value > 0xffffffff) throw new Error(`invalid endpoint id: ${value}`);
  return value as Eid;
}
