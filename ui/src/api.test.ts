import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSse, setToken, type SseEvent } from './api';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setToken(null);
});

describe('readSse', () => {
  it('parses events split anywhere across chunks and sends the token in the header, not the URL', async () => {
    setToken('secret-token');
    const fetchMock = vi.fn().mockResolvedValue(new Response(streamOf([
      'event: status\ndata: {"status":"run', 'ning"}\n\nevent: output\r\ndata: {"seq":1,"text":"tick 1\\n"}\r\n\r\n',
      'event: ping\ndata: {}\n\n', 'event: end\ndata: {}\n\n',
    ]), { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    vi.stubGlobal('fetch', fetchMock);
    const events: SseEvent[] = [];

    await readSse('/runs/7/output?follow=true', (e) => events.push(e), new AbortController().signal);

    expect(events.map((e) => e.event)).toEqual(['status', 'output', 'ping', 'end']);
    expect(JSON.parse(events[0].data)).toEqual({ status: 'running' });
    expect(JSON.parse(events[1].data)).toEqual({ seq: 1, text: 'tick 1\n' });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/runs/7/output?follow=true');
    expect(String(url)).not.toContain('secret-token');
    expect(init.headers.Authorization).toBe('Bearer secret-token');
  });

  it('turns an error answer into an ApiError with the problem details', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(JSON.stringify({ status: 404, title: 'Not found', detail: 'Run 9 does not exist.' }), {
      status: 404, headers: { 'Content-Type': 'application/problem+json' },
    })));

    await expect(readSse('/runs/9/output?follow=true', () => {}, new AbortController().signal)).rejects.toMatchObject({
      status: 404, message: 'Run 9 does not exist.',
    });
  });
});
