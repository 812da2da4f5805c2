// Pre-rendered lines: renderers have already fitted every line to the width, so Ink only places them. One
// <Text> per line, because Ink caches the measurement of every distinct text it lays out for the life of
// the process: per-line nodes keep that cache to distinct lines rather than one entry per frame.

import { Box, Text } from 'ink';

export function Lines({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position
        <Text key={i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}
