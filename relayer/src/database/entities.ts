import { ChainCursorEntity } from './chain-cursor.entity';

export const ENTITIES = [ChainCursorEntity];
export { ChainCursorEntity };
