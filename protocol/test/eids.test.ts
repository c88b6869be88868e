import { toEid } from '../src';

describe('toEid', () => {
  it('accepts a uint32 and rejects everything else', () => {
    expect(toEid(40101)).toBe(40101);
    for (const bad of [0, -1, 1.5, 2 ** 32, Number.NaN]) expect(() => toEid(bad)).toThrow(/invalid endpoint id/);
  });
});
