import { BadRequestException } from '@nestjs/common';
import { apiKeyMatches, presentedKey } from '../../src/api/api-key.guard';
import { ZodPipe, guidParamSchema, listPacketsQuerySchema } from '../../src/api/packets.schemas';

describe('API key check', () => {
  it('matches only the exact key', () => {
    expect(apiKeyMatches('operator-key-123456', 'operator-key-123456')).toBe(true);
    expect(apiKeyMatches('operator-key-123456', 'operator-key-123457')).toBe(false);
    expect(apiKeyMatches('operator-key-123456', 'operator-key-1234567')).toBe(false);
    expect(apiKeyMatches('operator-key-123456', '')).toBe(false);
    expect(apiKeyMatches(undefined, 'anything')).toBe(false);
  });

  it('reads x-api-key or a bearer token', () => {
    expect(presentedKey({ 'x-api-key': 'k1' })).toBe('k1');
    expect(presentedKey({ authorization: 'Bearer k2' })).toBe('k2');
    expect(presentedKey({ authorization: 'Basic k3' })).toBeUndefined();
  });
});

describe('pagination and params', () => {
  const list = new ZodPipe(listPacketsQuerySchema);

  it('applies defaults and coerces query strings', () => {
    expect(list.transform({})).toEqual({ limit: 50, offset: 0 });
    expect(list.transform({ status: 'parked', limit: '10', offset: '20' })).toEqual({ status: 'parked', limit: 10, offset: 20 });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ offset: '-1' }, 'offset'],
    [{ status: 'lost' }, 'status'],
    [{ page: '2' }, 'page'],
  ])('refuses %j with a 400 naming %s', (query, field) => {
    let error: unknown;
    try {
      list.transform(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequestException);
    expect(JSON.stringify((error as BadRequestException).getResponse())).toContain(field);
  });

  it('accepts only 32-byte hex guids', () => {
    const guid = '0x' + 'ab'.repeat(32);
    expect(new ZodPipe(guidParamSchema).transform(guid)).toBe(guid);
    expect(() => new ZodPipe(guidParamSchema).transform('0x1234')).toThrow(BadRequestException);
  });
});
