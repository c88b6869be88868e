import { Injectable } from '@nestjs/common';

/**
 * The wall clock as an injectable: services ask it for the time instead of calling Date.now(), so a test
 * replaces it (a subclass, or a reassigned `now`) to move time without waiting.
 */
@Injectable()
export class Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number {
    return Date.now();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
