import { Injectable } from '@nestjs/common';

/** The wall clock behind an injectable (tests may replace it). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
