/** A raw log as JSON-RPC returns it (and as the event log stores it). */
export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  transactionHash: string;
}
