import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/protocol/models.js';
import { buildChatMessages, buildChatTools } from '../../src/providers/chat/messages.js';

const quirks = { reasoningField: 'reasoning_content', developerRole: 'system' } as const;
const user = (text: string): ResponseItem => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});
const assistant = (text: string): ResponseItem => ({
  type: 'message',
  role: 'assistant',
  content: [{ type: 'output_text', text }],
});
const reasoning = (text: string): ResponseItem => ({
  type: 'reasoning',
  summary: [],
  content: [{ type: 'reasoning_text', text }],
});
const call = (id: string, name = 'shell'): ResponseItem => ({
  type: 'function_call',
  name,
  arguments: '{}',
  call_id: id,
});
const output = (id: string, out = 'ok'): ResponseItem => ({
  type: 'function_call_output',
  call_id: id,
  output: out,
});

describe('buildChatMessages', () => {
  it('puts the system prompt first and maps roles (developer per quirk)', () => {
    const dev: ResponseItem = {
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: 'rules' }],
    };
    expect(buildChatMessages('sys', [dev, user('a'), assistant('b')], quirks)).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'system', content: 'rules' },
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
    ]);
    expect(buildChatMessages('', [dev], { ...quirks, developerRole: 'developer' })).toEqual([
      { role: 'developer', content: 'rules' },
    ]);
  });

  it('sends images as parts and concatenates text otherwise', () => {
    const img: ResponseItem = {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'look ' },
        { type: 'input_image', image_url: 'data:image/png;base64,AA' },
      ],
    };
    expect(buildChatMessages('', [img], quirks)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look ' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
        ],
      },
    ]);
  });

  it('groups consecutive tool calls into one assistant message followed by their outputs', () => {
    const msgs = buildChatMessages(
      '',
      [user('go'), assistant('Looking.'), call('a'), call('b', 'read'), output('a'), output('b', 'x')],
      quirks,
    );
    expect(msgs).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'shell', arguments: '{}' } },
          { id: 'b', type: 'function', function: { name: 'read', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: 'ok' },
      { role: 'tool', tool_call_id: 'b', content: 'x' },
    ]);
  });

  it('replays reasoning of the current turn only, on the assistant message it belongs to', () => {
    const history = [
      user('first'),
      reasoning('old thoughts'),
      assistant('old answer'),
      user('second'),
      reasoning('plan A'),
      call('a'),
      output('a'),
      reasoning('plan B'),
      assistant('done'),
    ];
    const msgs = buildChatMessages('', history, quirks);
    expect(msgs[1]).toEqual({ role: 'assistant', content: 'old answer' });
    expect(msgs[3]).toMatchObject({
      role: 'assistant',
      reasoning_content: 'plan A',
      tool_calls: [{ id: 'a' }],
    });
    expect(msgs[5]).toEqual({ role: 'assistant', content: 'done', reasoning_content: 'plan B' });
  });

  it('skips an assistant message identical to the previous one', () => {
    expect(buildChatMessages('', [assistant('same'), assistant('same')], quirks)).toHaveLength(1);
  });

  it('converts custom tool calls to {input} function calls and image tool outputs to parts', () => {
    const msgs = buildChatMessages(
      '',
      [
        { type: 'custom_tool_call', call_id: 'p', name: 'apply_patch', input: 'PATCH' },
        { type: 'custom_tool_call_output', call_id: 'p', output: 'applied' },
        call('s'),
        {
          type: 'function_call_output',
          call_id: 's',
          output: [
            { type: 'input_text', text: 'pic:' },
            { type: 'input_image', image_url: 'u' },
          ],
        },
      ],
      quirks,
    );
    expect(msgs[0].tool_calls?.[0].function).toEqual({ name: 'apply_patch', arguments: '{"input":"PATCH"}' });
    expect(msgs[1]).toEqual({ role: 'tool', tool_call_id: 'p', content: 'applied' });
    expect(msgs[3].content).toEqual([
      { type: 'text', text: 'pic:' },
      { type: 'image_url', image_url: { url: 'u' } },
    ]);
  });
});

describe('buildChatTools', () => {
  it('re-wraps function tools and turns freeform tools into {input} functions', () => {
    const { tools, customToolNames } = buildChatTools([
      { type: 'function', name: 'shell', description: 'run', strict: false, parameters: { type: 'object' } },
      {
        type: 'function',
        name: 'strict_one',
        description: 'd',
        strict: true,
        parameters: { type: 'object' },
      },
      {
        type: 'custom',
        name: 'apply_patch',
        description: 'patch',
        format: { type: 'grammar', syntax: 'lark', definition: 'start: x' },
      },
    ]);
    expect(tools[0]).toEqual({
      type: 'function',
      function: { name: 'shell', description: 'run', parameters: { type: 'object' } },
    });
    expect(tools[1].function.strict).toBe(true);
    expect(tools[2].function.description).toContain('start: x');
    expect([...customToolNames]).toEqual(['apply_patch']);
  });
});
