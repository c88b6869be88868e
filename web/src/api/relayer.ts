/**
 * The relayer's operator API (relayer/README.md: x-api-key). Bodies as relayer/src/api/pathways.schemas.ts and
 * operator.service.ts (PacketView) define them; only the fields the operator view shows are typed here.
 */
export interface PathwayView {
  srcEid: number;
  srcChain: string;
  dstEid: number;
  dstChain: string;
  lastPacket: { nonce: number; guid: string; status: string; seenAt: string; deliveredAt: string | null } | null;
  backlog: number;
  oldestUndeliveredSeenAt: string | null;
  parked: number;
  latency: { samples: number; p50Seconds: number | null; p99Seconds: number | null };
}

export interface PathwaysBody {
  generatedAt: string;
  pathways: PathwayView[];
  signers: { chain: string; eid: number; address: string; balanceWei: string | null; error: string | null }[];
}

export interface PacketView {
  guid: string;
  srcChain: string;
  dstChain: string;
  srcEid: number;
  dstEid: number;
  nonce: number;
  status: string;
  stage: string;
  attempts: number;
  lastError: string | null;
  seenAt: string;
  deliveredAt: string | null;
}

export interface PacketsBody {
  items: PacketView[];
  total: number;
}

/** 401 from the operator API: the key is missing or wrong. */
export class RelayerAuthError extends Error {}

export class RelayerApi {
  constructor(
    readonly baseUrl: string,
    private readonly key: string | null,
  ) {}

  pathways(): Promise<PathwaysBody> {
    return this.request<PathwaysBody>('/v1/pathways');
  }

  /** Packets oldest first (the API's order), a page of them. */
  packets(query: { status?: string; limit?: number; offset?: number } = {}): Promise<PacketsBody> {
    const search = new URLSearchParams();
    if (query.status) search.set('status', query.status);
    if (query.limit) search.set('limit', String(query.limit));
    if (query.offset) search.set('offset', String(query.offset));
    return this.request<PacketsBody>(`/v1/packets${search.size ? `?${search}` : ''}`);
  }

  /** The newest `limit` packets, newest first. */
  async latestPackets(query: { status?: string; limit: number }): Promise<PacketsBody> {
    const { total } = await this.packets({ status: query.status, limit: 1 });
    const page = await this.packets({ status: query.status, limit: query.limit, offset: Math.max(0, total - query.limit) });
    return { items: [...page.items].reverse(), total: page.total };
  }

  /** Puts a parked packet back to work (needs the operator key). */
  retry(guid: string): Promise<PacketView> {
    return this.request<PacketView>(`/v1/packets/${guid}/retry`, 'POST');
  }

  private async request<T>(path: string, method = 'GET'): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.key) headers['x-api-key'] = this.key;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers });
    if (response.status === 401) throw new RelayerAuthError('the relayer wants the operator key (x-api-key)');
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { message?: unknown };
      throw new Error(`relayer ${method} ${path}: HTTP ${response.status}${body.message ? ` — ${String(body.message)}` : ''}`);
    }
    return (await response.json()) as T;
  }
}
