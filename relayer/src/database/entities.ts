import { BlockCheckpointEntity } from './block-checkpoint.entity';
import { ChainCursorEntity } from './chain-cursor.entity';
import { PacketEntity } from './packet.entity';

export const ENTITIES = [ChainCursorEntity, PacketEntity, BlockCheckpointEntity];
export { BlockCheckpointEntity, ChainCursorEntity, PacketEntity };
