// A start-up deadline that can be paused: a person signing in in the browser is not a slow server.

export class StartDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.restart();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the full period again. */
  restart(): void {
    this.pause();
    this.timer = setTimeout(() => this.controller.abort(new Error('start-up timed out')), this.ms);
  }

  pause(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
