// Progress is reported at most every `intervalMs` (plus once at the end): a chatty job must not flood Redis
// or the MCP client with one event per output chunk.

export function throttled(fn: () => void, intervalMs: number): { poke(): void; flush(): void } {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  return {
    poke() {
      if (timer) return;
      const wait = Math.max(0, last + intervalMs - Date.now());
      timer = setTimeout(fire, wait);
      timer.unref();
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
