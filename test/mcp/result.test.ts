import { describe, expect, it } from 'vitest';
import { callResultToOutput } from '../../src/mcp/result.js';
import { readResultToOutput } from '../../src/tools/handlers/mcp-resources.js';

describe('tools/call result → function_call_output', () => {
  it('prefers structuredContent, as JSON text', () => {
    expect(
      callResultToOutput({
        content: [{ type: 'text', text: 'ignored' }],
        structuredContent: { t: 33, ok: true },
      }),
    ).toEqual({ output: '{"t":33,"ok":true}', success: true });
  });

  it('joins text blocks and marks isError as a failure', () => {
    expect(
      callResultToOutput({
        content: [
          { type: 'text', text: 'line 1' },
          { type: 'text', text: 'line 2' },
        ],
        isError: true,
      }),
    ).toEqual({ output: 'line 1\nline 2', success: false });
    expect(callResultToOutput({ content: [] })).toEqual({ output: '', success: true });
  });

  it('sends images as input_image parts with data URLs, keeping text around them', () => {
    const out = callResultToOutput({
      content: [
        { type: 'text', text: 'here:' },
        { type: 'text', text: 'a tiny image' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        { type: 'image', data: 'data:image/gif;base64,R0lG', mimeType: 'image/gif' },
      ],
    });
    expect(out.output).toEqual([
      { type: 'input_text', text: 'here:\na tiny image' },
      { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=' },
      { type: 'input_image', image_url: 'data:image/gif;base64,R0lG' },
    ]);
  });

  it('describes resource links and embedded resources as text', () => {
    const out = callResultToOutput({
      content: [
        { type: 'resource_link', uri: 'file:///a.txt', name: 'a.txt', mimeType: 'text/plain' },
        { type: 'resource', resource: { uri: 'mem://note', mimeType: 'text/markdown', text: '# Note' } },
        { type: 'resource', resource: { uri: 'mem://bin', mimeType: 'application/gzip', blob: 'AAAA' } },
      ],
    });
    expect(out.output).toBe(
      'Resource link: a.txt <file:///a.txt> (text/plain)\n' +
        'Resource mem://note (text/markdown):\n# Note\n' +
        'Resource mem://bin: binary application/gzip, 3 bytes (read it with read_mcp_resource)',
    );
  });

  it('reads image resources as images and text resources as JSON', () => {
    expect(readResultToOutput('s', 'u', { contents: [{ uri: 'u', text: 'hi' }] })).toEqual({
      output: '{"server":"s","uri":"u","contents":[{"uri":"u","text":"hi"}]}',
      success: true,
    });
    const img = readResultToOutput('s', 'u', {
      contents: [{ uri: 'u', mimeType: 'image/png', blob: 'QUJD' }],
    });
    expect(img.output).toEqual([
      { type: 'input_text', text: expect.stringContaining('(shown as an image)') },
      { type: 'input_image', image_url: 'data:image/png;base64,QUJD' },
    ]);
  });
});
