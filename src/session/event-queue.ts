// An unbounded async queue: producers push without waiting, one consumer awaits `next()`. Closing it makes
// `next()` return undefined once the queued values are drained.

export class AsyncQueue<T> {
  private readonly values: T[] = [];
  private readonly waiters: ((value: T | undefined) => void)[] = [];
  private closed = false;

  push(value: T): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.values.push(value);
  }

  next(): Promise<T | undefined> {
    if (this.values.length > 0) return Promise.resolve(this.values.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
