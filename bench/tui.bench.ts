// The interactive terminal in a real pseudo-terminal against the fake model (in this process, over
// loopback): start-up to an input-ready prompt, keystroke-to-screen latency, and bytes written per
// streamed token, each with an empty session and with a 300-message transcript. Figures go in docs/tui.md.

import { join } from 'node:path';
import { gitRepo, startTui, type TuiRun, tempDir } from '../test/cli/tui/pty-harness.js';
import { writeLongSession } from '../test/cli/tui/sessions.js';
import { type FakeStep, startFakeModelServer } from '../test/fake-model/server.js';

const READY = 'Ask conduit to do something';
const STARTS = 8;
const KEYS = 40;
const TOKENS = 1000;
const bin = join(process.cwd(), 'bin', 'conduit.js');
const fake = await startFakeModelServer({ wires: ['responses'] });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function open(transcript: number): { run: TuiRun; started: number } {
  const home = tempDir('conduit-tui-bench-');
  const cwd = gitRepo();
  const id = '11111111-2222-3333-4444-555555555555';
  if (transcript) writeLongSession(home, cwd, id, transcript);
  const started = performance.now();
  const run = startTui({
    bin,
    cwd,
    home,
    cols: 100,
    rows: 30,
    env: { CODEX_API_KEY: 'sk-bench-0000000000' },
    args: [...(transcript ? ['resume', id] : []), '-c', `openai_base_url="${fake.url}"`, '-m', 'gpt-4.1'],
  });
  return { run, started };
}

/** Resolves at the first output chunk that contains `text` (measured on the raw byte stream). */
function whenWritten(run: TuiRun, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    void run.exited.then(({ exitCode }) =>
      reject(new Error(`conduit exited (${exitCode}) before writing ${text}:\n${run.bytes().slice(-2000)}`)),
    );
    let seen = '';
    const sub = run.pty.onData((data) => {
      seen = (seen + data).slice(-4096);
      if (seen.includes(text)) {
        sub.dispose();
        resolve(performance.now());
      }
    });
  });
}

async function close(run: TuiRun): Promise<void> {
  run.pty.write('/quit\r');
  await Promise.race([run.exited, sleep(5000)]);
  run.kill();
}

/** Input-ready: the prompt is drawn and, when resuming, the last message of the transcript is printed. */
function whenReady(run: TuiRun, transcript: number): Promise<number> {
  const ready = whenWritten(run, READY);
  if (!transcript) return ready;
  const last = whenWritten(run, `Answer number ${transcript - 1}:`);
  return Promise.all([ready, last]).then(([a, b]) => Math.max(a, b));
}

async function startup(transcript: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const { run, started } = open(transcript);
    const ready = await whenReady(run, transcript);
    times.push(ready - started);
    await close(run);
  }
  return times;
}

async function keystrokes(transcript: number): Promise<number[]> {
  const { run } = open(transcript);
  await whenReady(run, transcript);
  await sleep(300);
  const times: number[] = [];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  let typed = '';
  for (let i = 0; i < KEYS; i++) {
    const ch = alphabet[i % alphabet.length];
    typed += ch;
    // The whole typed text ends with this key only once it has been drawn.
    const shown = whenWritten(run, typed.slice(-3));
    const at = performance.now();
    run.pty.write(ch);
    times.push((await shown) - at);
    // Spaced out like typing, so each key is its own frame.
    await sleep(40);
  }
  await close(run);
  return times;
}

async function streaming(transcript: number): Promise<{ bytesPerToken: number; seconds: number }> {
  const steps: FakeStep[] = [];
  for (let i = 0; i < TOKENS; i++) {
    steps.push({ type: 'text', text: i % 50 === 49 ? `tok${i}\n\n` : `tok${i} ` });
    if (i % 5 === 4) steps.push({ type: 'stall', ms: 8 });
  }
  fake.enqueue({ steps });
  const { run } = open(transcript);
  await whenReady(run, transcript);
  await sleep(300);
  const before = run.byteCount();
  const done = whenWritten(run, `tok${TOKENS - 1}`);
  const at = performance.now();
  run.pty.write('stream\r');
  await done;
  await sleep(200);
  const bytes = run.byteCount() - before;
  const seconds = (performance.now() - at) / 1000;
  await close(run);
  return { bytesPerToken: bytes / TOKENS, seconds };
}

const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, p95 ${p95(xs).toFixed(0)} ms`;
try {
  for (const transcript of [0, 300]) {
    const label = transcript ? `${transcript}-message transcript` : 'new session';
    console.log(`start-up to input-ready (${label}): ${fmt(await startup(transcript))}`);
    console.log(`keystroke to screen (${label}): ${fmt(await keystrokes(transcript))}`);
    const s = await streaming(transcript);
    console.log(
      `bytes per streamed token (${label}): ${s.bytesPerToken.toFixed(1)} (${TOKENS} tokens in ${s.seconds.toFixed(1)} s)`,
    );
  }
} finally {
  await fake.close();
}
