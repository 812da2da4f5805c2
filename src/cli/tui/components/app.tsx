// The whole screen. Finished cells go to <Static>: Ink prints each once above the live region and never
// again, so they live in the terminal's own scrollback (native scrolling, search, copy). Everything else
// (the streaming answer's tail, running commands, the prompt or an approval, the status line) is the live
// region, which Ink redraws; it is kept shorter than the screen, because once Ink's frame reaches the
// terminal's height it falls back to clearing the whole screen and scrollback on every frame.

import { Box, Static, Text, useStdout } from 'ink';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ReviewDecision } from '../../../index.js';
import type { TuiController } from '../controller.js';
import type { Cell } from '../model/cells.js';
import type { FileIndex, SlashCommand } from '../model/completion.js';
import type { PromptHistory } from '../model/history.js';
import { formatDuration, renderCell } from '../render/cells.js';
import type { Highlighter } from '../render/markdown.js';
import { renderMarkdown } from '../render/markdown.js';
import { truncateLine } from '../render/text.js';
import type { Theme } from '../render/theme.js';
import { ApprovalPrompt } from './approval-prompt.js';
import { Composer } from './composer.js';
import { Lines } from './lines.js';
import { Picker } from './picker.js';
import { statusLine } from './status-line.js';

export interface AppProps {
  controller: TuiController;
  theme: Theme;
  highlight?: Highlighter;
  commands: readonly SlashCommand[];
  files?: FileIndex;
  history?: PromptHistory;
  onSubmit: (text: string) => void;
  onShowDiff: (callId: string) => void;
}

/** Rows the live region may use: the screen minus a margin, so Ink never takes its full-screen path. */
export function liveBudget(rows: number | undefined): number {
  return Math.max(4, (rows ?? 24) - 2);
}

const MAX_COMMAND_TAIL = 5;
const MAX_QUEUED = 3;

function useTerminalSize(): { columns: number; rows: number | undefined } {
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows });
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function App(props: AppProps) {
  const { controller, theme, highlight } = props;
  useSyncExternalStore(controller.subscribe, controller.getVersion);
  const { columns, rows } = useTerminalSize();
  const t = controller.transcript;
  const busy = t.busySince !== undefined || controller.userCommand !== undefined;

  // The elapsed time in the status line ticks while something runs.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => controller.changed(), 1000);
    return () => clearInterval(timer);
  }, [busy, controller]);

  // <Static> prints the items past the count it has seen; it needs a new array when cells were added.
  const cellCount = t.cells.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cells array only grows; its length is its version
  const cells = useMemo(() => t.cells.slice(controller.printedBeforeMount), [cellCount]);
  const width = Math.max(20, columns - 1);
  const budget = liveBudget(rows);
  const now = Date.now();

  const status = statusLine(
    {
      model: t.info?.model ?? '',
      cwd: t.info?.cwd ?? '',
      contextLeft: contextLeft(t.usage?.last_token_usage.total_tokens, t.contextWindow),
      activity: busy ? t.activity || 'Working' : undefined,
      elapsedMs: t.busySince !== undefined ? now - t.busySince : undefined,
      hint: controller.hint || undefined,
    },
    width,
    theme,
  );

  const approval = t.approvals[0];
  const bottomMax = Math.max(
    3,
    Math.min(approval ? budget - 1 : 14, Math.floor(budget * (approval ? 1 : 0.6))),
  );
  let room = budget - 1 - bottomMax;

  const queued = controller.queued
    .slice(0, MAX_QUEUED)
    .map((q) => truncateLine(theme.c.dim(`↳ queued: ${q.split('\n')[0]}`), width));
  if (controller.queued.length > MAX_QUEUED)
    queued.push(theme.c.dim(`  … +${controller.queued.length - MAX_QUEUED} more queued`));
  const queuedShown = queued.slice(0, Math.max(0, room));
  room -= queuedShown.length;

  const running: string[] = [];
  for (const run of t.running.values()) {
    running.push(
      truncateLine(
        `${theme.c.magenta('$ ')}${theme.c.bold(run.command.split('\n')[0])} ${theme.c.dim(formatDuration(now - run.startedAt))}`,
        width,
      ),
    );
    const tail = [...run.tail, ...(run.partial ? [run.partial] : [])].slice(-MAX_COMMAND_TAIL);
    for (const line of tail) running.push(theme.c.dim(truncateLine(`  ${line}`, width)));
  }
  for (const call of t.mcpRunning.values())
    running.push(
      truncateLine(
        `${theme.c.cyan('⚙ ')}${call.label} ${theme.c.dim(formatDuration(now - call.startedAt))}`,
        width,
      ),
    );
  const runningShown = running.slice(-Math.max(0, room));
  room -= runningShown.length;

  let stream: string[] = [];
  if (t.streaming) stream = renderMarkdown(t.streaming, { width, theme, highlight });
  else if (t.reasoning)
    stream = t.reasoning
      .split('\n')
      .filter(Boolean)
      .slice(-2)
      .map((l) => theme.c.dim.italic(truncateLine(l, width)));
  const streamShown = room > 0 ? stream.slice(-room) : [];

  const decide = (decision: ReviewDecision) => approval && controller.decide(approval.callId, decision);

  return (
    <>
      <Static items={cells}>
        {(cell: Cell) => (
          // One text node per cell: printed once, so there is no per-line measuring to save, and fewer
          // nodes make printing a long resumed transcript faster.
          <Text key={cell.id}>{renderCell(cell, columns, theme, highlight).join('\n')}</Text>
        )}
      </Static>
      <Box flexDirection="column">
        <Lines lines={[...streamShown, ...runningShown, ...queuedShown]} />
        {approval ? (
          <ApprovalPrompt
            key={approval.callId}
            approval={approval}
            width={width}
            maxLines={bottomMax}
            theme={theme}
            onDecision={decide}
            onShowDiff={() => props.onShowDiff(approval.callId)}
          />
        ) : controller.picker ? (
          <Picker
            picker={controller.picker}
            width={width}
            maxLines={bottomMax}
            theme={theme}
            onClose={() => controller.closePicker()}
          />
        ) : null}
        <Composer
          width={width}
          maxLines={approval || controller.picker ? 0 : bottomMax}
          theme={theme}
          commands={props.commands}
          files={props.files}
          history={props.history}
          active={!approval && !controller.picker}
          hidden={Boolean(approval || controller.picker)}
          placeholder="Ask conduit to do something · / for commands · @ for files"
          onSubmit={props.onSubmit}
          onEscape={() => controller.interrupt()}
          onCtrlC={() => controller.ctrlC()}
          onQuit={() => void controller.quit()}
          onKey={() => controller.keyPressed()}
        />
        <Lines lines={[status]} />
      </Box>
    </>
  );
}

function contextLeft(used: number | undefined, window: number | undefined): number | undefined {
  if (!used || !window) return undefined;
  return Math.max(0, Math.round(100 - (used / window) * 100));
}
