import type { Clock } from '../../src/app/ports.ts';

/** A clock tests move by hand, to stand on a boundary. */
export class FixedClock implements Clock {
  #now: number;
  constructor(start: number | string) {
    this.#now = typeof start === 'number' ? start : Date.parse(start);
  }
  now(): number {
    return this.#now;
  }
  set(at: number | string): void {
    this.#now = typeof at === 'number' ? at : Date.parse(at);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
