// What approvals and PTY sessions cost: loading the bash grammar once, judging a command (parse + safety +
// scope), and a PTY session's start-to-exit round trip (which includes node-pty's 200 ms exit wait, see
// src/exec/pty/session.ts).

import { PtySessionManager } from '../src/exec/pty/manager.js';
import { ApprovalCache } from '../src/tools/approval/cache.js';
import { assessCommand, loadBashParser } from '../src/tools/command-safety/index.js';

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const loadStart = process.hrtime.bigint();
await loadBashParser();
console.log(`bash grammar load (once per process): ${ms(loadStart).toFixed(1)} ms`);

const commands = [
  ['bash', '-lc', 'ls -la && git status | wc -l'],
  ['bash', '-lc', 'cd sub && npm test -- --watch=false && git add -A && git commit -m "msg"'],
  ['bash', '-lc', 'find . -name "*.ts" | xargs rm -f'],
  ['git', 'diff', 'HEAD~1'],
];
const cache = new ApprovalCache();
const rounds = 5000;
const assessStart = process.hrtime.bigint();
for (let i = 0; i < rounds; i++) {
  const argv = commands[i % commands.length];
  const assessment = await assessCommand(argv);
  cache.isExecApproved({ argv, assessment, unsandboxed: false });
}
const perCall = ms(assessStart) / rounds;
console.log(`assess + cache lookup: ${(perCall * 1000).toFixed(1)} µs per command (${rounds} commands)`);

const sessions = new PtySessionManager();
const runs = 10;
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  const result = await sessions.start(
    { argv: ['true'], cwd: process.cwd(), env: { PATH: process.env.PATH ?? '' } },
    30_000,
  );
  if (result.exitCode !== 0) throw new Error(`true exited ${result.exitCode}`);
  times.push(ms(start));
}
times.sort((a, b) => a - b);
console.log(
  `PTY start → exit of \`true\`: median ${times[runs >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms (${runs} runs)`,
);
await sessions.closeAll();
