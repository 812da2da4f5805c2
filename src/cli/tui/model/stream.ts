// Where a streaming answer can be cut: the part before the cut is printed once into the scrollback, the
// rest stays in the live region. A cut is safe after a blank line outside a code fence, so each printed
// chunk is whole Markdown blocks. A long code block would keep the live region growing, so past
// `maxLiveLines` the text is cut at a line inside the fence: the printed chunk gets a closing fence and the
// rest reopens it with the same language.

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export interface StreamCut {
  /** Markdown to print now (may be empty). */
  commit: string;
  /** What stays live. */
  rest: string;
}

interface FenceState {
  open: boolean;
  marker: string;
  info: string;
}

function scanFences(
  lines: string[],
  upTo: number,
  state: FenceState = { open: false, marker: '', info: '' },
): FenceState {
  const s = { ...state };
  for (let i = 0; i < upTo; i++) {
    const m = FENCE.exec(lines[i]);
    if (!m) continue;
    if (!s.open) {
      s.open = true;
      s.marker = m[1];
      s.info = m[2].trim();
    } else if (m[1][0] === s.marker[0] && m[1].length >= s.marker.length && m[2].trim() === '') {
      s.open = false;
    }
  }
  return s;
}

export function cutStream(text: string, maxLiveLines: number): StreamCut {
  const lines = text.split('\n');
  // Only complete lines can be printed: the last element is the line still being typed.
  const complete = lines.length - 1;
  let cutAt = -1;
  let state: FenceState = { open: false, marker: '', info: '' };
  for (let i = 0; i < complete; i++) {
    state = scanFences([lines[i]], 1, state);
    if (!state.open && lines[i].trim() === '' && i > 0) cutAt = i;
  }
  if (cutAt > 0) {
    const commit = lines.slice(0, cutAt).join('\n');
    const rest = lines.slice(cutAt + 1).join('\n');
    return finishLongTail({ commit, rest }, maxLiveLines);
  }
  return finishLongTail({ commit: '', rest: text }, maxLiveLines);
}

/** Cuts inside a long block (a code fence or a paragraph without blank lines) once the live part is too tall. */
function finishLongTail(cut: StreamCut, maxLiveLines: number): StreamCut {
  const lines = cut.rest.split('\n');
  if (lines.length <= maxLiveLines) return cut;
  const keep = Math.max(1, Math.floor(maxLiveLines / 2));
  const splitAt = lines.length - keep;
  const before = lines.slice(0, splitAt);
  const after = lines.slice(splitAt);
  const state = scanFences(before, before.length);
  const joinCommit = (part: string) => (cut.commit ? `${cut.commit}\n\n${part}` : part);
  if (state.open) {
    return {
      commit: joinCommit(`${before.join('\n')}\n${state.marker}`),
      rest: `${state.marker}${state.info}\n${after.join('\n')}`,
    };
  }
  return { commit: joinCommit(before.join('\n')), rest: after.join('\n') };
}
