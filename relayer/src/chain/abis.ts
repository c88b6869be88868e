import { Interface } from 'ethers';

/** The parts of LayerZero's EndpointV2 the relayer reads and calls. */
export const ENDPOINT_ABI = new Interface([
  'event PacketSent(bytes encodedPayload, bytes options, address sendLibrary)',
  'function inboundPayloadHash(address receiver, uint32 srcEid, bytes32 sender, uint64 nonce) view returns (bytes32)',
  'function lazyInboundNonce(address receiver, uint32 srcEid, bytes32 sender) view returns (uint64)',
  'function inboundNonce(address receiver, uint32 srcEid, bytes32 sender) view returns (uint64)',
  'function lzReceive((uint32 srcEid, bytes32 sender, uint64 nonce) origin, address receiver, bytes32 guid, bytes message, bytes extraData) payable',
]);

const ULN_CONFIG =
  '(uint64 confirmations, uint8 requiredDVNCount, uint8 optionalDVNCount, uint8 optionalDVNThreshold, address[] requiredDVNs, address[] optionalDVNs)';

/** The parts of ReceiveUln302 a DVN and a committer use. */
export const RECEIVE_ULN_ABI = new Interface([
  'function verify(bytes packetHeader, bytes32 payloadHash, uint64 confirmations)',
  'function commitVerification(bytes packetHeader, bytes32 payloadHash)',
  'function hashLookup(bytes32 headerHash, bytes32 payloadHash, address dvn) view returns (bool submitted, uint64 confirmations)',
  `function verifiable(${ULN_CONFIG} config, bytes32 headerHash, bytes32 payloadHash) view returns (bool)`,
  `function getUlnConfig(address oapp, uint32 remoteEid) view returns (${ULN_CONFIG})`,
]);

/** Job events of our send-side worker (contracts/src/RelayerWorker.sol). */
export const WORKER_ABI = new Interface([
  'event DVNJobAssigned(uint32 indexed dstEid, address indexed sender, bytes32 payloadHash, uint64 confirmations, uint256 fee)',
  'event ExecutorJobAssigned(uint32 indexed dstEid, address indexed sender, uint256 calldataSize, uint256 fee)',
]);

export const PACKET_SENT_TOPIC = ENDPOINT_ABI.getEvent('PacketSent')!.topicHash;
export const DVN_JOB_TOPIC = WORKER_ABI.getEvent('DVNJobAssigned')!.topicHash;
export const EXECUTOR_JOB_TOPIC = WORKER_ABI.getEvent('ExecutorJobAssigned')!.topicHash;

const DELIVERY = '(bytes header, bytes32 payloadHash, uint64 confirmations, bytes32 guid, bytes message, uint64 gasLimit, uint128 value)';

/** Our receive-side DVN contract (contracts/src/DeliveryWorker.sol): one batch of packets per transaction. */
export const DELIVERY_WORKER_ABI = new Interface([
  `function verifyAndDeliver(${DELIVERY}[] batch) payable`,
  'event BatchDelivered(uint256 size, uint256 verified, uint256 committed, uint256 executed, uint256 failed, uint256 skipped, uint256 deferred)',
  'event LzReceiveFailed(bytes32 indexed guid, uint256 index, bytes reason)',
]);
