import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RELAYER_SETUP, type RelayerSetup } from '../chain/chain-registry';

/** Constant-time comparison (hashing first makes lengths equal, so length leaks nothing either). */
export function apiKeyMatches(expected: string | undefined, presented: string | undefined): boolean {
  if (!expected || !presented) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/** Reads the key from `x-api-key` or `Authorization: Bearer <key>`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return undefined;
}

/** Operator API guard: RELAYER_API_KEY must match; 401 otherwise (and always when no key is configured). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(RELAYER_SETUP) private readonly setup: RelayerSetup) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    if (!apiKeyMatches(this.setup.apiKey, presentedKey(request.headers))) throw new UnauthorizedException('missing or wrong API key');
    return true;
  }
}
