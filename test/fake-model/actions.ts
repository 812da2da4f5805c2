// What the server does with a scripted stream once it is rendered for a wire: write bytes, go silent, or cut
// the connection. Rendering (pure) and playing (I/O) stay separate so each wire's renderer is a plain function.
import type { FakeStep } from './types.js';

export type Action = { kind: 'write'; text: string } | { kind: 'stall'; ms: number } | { kind: 'cut' };

export function sseData(payload: unknown): Action {
  return {
    kind: 'write',
    text: `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`,
  };
}

/** Actions shared by both wires (faults and keep-alives); undefined for wire-specific steps. */
export function commonStepActions(step: FakeStep): Action[] | undefined {
  switch (step.type) {
    case 'keepalive': {
      const out: Action[] = [];
      for (let i = 0; i < (step.count ?? 1); i++) {
        if (i > 0 && step.intervalMs) out.push({ kind: 'stall', ms: step.intervalMs });
        out.push({ kind: 'write', text: ': keep-alive\n\n' });
      }
      return out;
    }
    case 'stall':
      return [{ kind: 'stall', ms: step.ms }];
    case 'cut':
      return [{ kind: 'cut' }];
    case 'malformed':
      return [
        {
          kind: 'write',
          text: `data: ${step.data ?? '{"type": "response.output_text.delta", "delta": '}\n\n`,
        },
      ];
    case 'raw':
      return [sseData(step.data)];
    default:
      return undefined;
  }
}

/** The deltas a text step streams: as scripted, else one per word (keeping the spaces). */
export function textDeltas(text: string, deltas?: string[]): string[] {
  if (deltas) return deltas;
  return text.match(/\s*\S+\s*/g) ?? [text];
}

export function argumentsText(args: string | Record<string, unknown>): string {
  return typeof args === 'string' ? args : JSON.stringify(args);
}

/** Splits a string into `n` roughly equal fragments (at least one, none empty unless the string is). */
export function fragments(s: string, n: number): string[] {
  if (s.length <= 1 || n <= 1) return [s];
  const size = Math.ceil(s.length / n);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}
