// Keys for a component: parses Ink's stdin with KeyParser (bracketed paste, Shift+Enter…) and calls the
// handler for each key while `active`. The stdin is put in raw mode by the caller of render() (the real
// terminal) or is ink-testing-library's fake, which emits strings.

import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { isReply, type Key, KeyParser, type Reply } from '../terminal/keys.js';

/** A lone ESC is the Escape key if nothing follows within this pause. */
const ESCAPE_WAIT_MS = 30;

export function useKeys(handler: (key: Key) => void, active = true, onReply?: (reply: Reply) => void): void {
  const { stdin } = useStdin();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const replyRef = useRef(onReply);
  replyRef.current = onReply;
  useEffect(() => {
    if (!active || !stdin) return;
    const parser = new KeyParser();
    let timer: NodeJS.Timeout | undefined;
    const deliver = (inputs: ReturnType<KeyParser['feed']>) => {
      for (const input of inputs) {
        if (isReply(input)) replyRef.current?.(input);
        else handlerRef.current(input);
      }
    };
    const onData = (data: Buffer | string) => {
      if (timer) clearTimeout(timer);
      deliver(parser.feed(typeof data === 'string' ? data : data.toString('utf8')));
      if (parser.pending) timer = setTimeout(() => deliver(parser.flush()), ESCAPE_WAIT_MS);
    };
    stdin.on('data', onData);
    return () => {
      if (timer) clearTimeout(timer);
      stdin.off('data', onData);
    };
  }, [stdin, active]);
}
