import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { DeliverySchema1764100000000 } from './1764100000000-delivery-schema';
import { PendingChain1764200000000 } from './1764200000000-pending-chain';

/** Every migration in order; the service runs them at start (no `synchronize` outside tests). */
export const MIGRATIONS = [InitialSchema1764000000000, DeliverySchema1764100000000, PendingChain1764200000000];
