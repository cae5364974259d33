import { useEffect, useMemo, useRef } from 'react';
import { Box } from '@mantine/core';
import { AnsiUp } from 'ansi_up';

/** A run's output with ANSI colours; sticks to the bottom while the reader is there (auto-scroll), not when scrolled up. */
export function AnsiOutput({ text, emptyText }: { text: string; emptyText: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  const html = useMemo(() => {
    const converter = new AnsiUp();
    converter.use_classes = false;
    return converter.ansi_to_html(text);
  }, [text]);

  useEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [html]);

  return (
    <Box
      ref={ref}
      component="pre"
      data-testid="run-output"
      aria-label="output"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      style={{
        margin: 0, padding: 12, height: '55vh', minHeight: 240, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all',
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13, background: '#0f1115', color: '#d6d6d6', borderRadius: 6,
      }}
    >
      {text ? <span dangerouslySetInnerHTML={{ __html: html }} /> : <span style={{ opacity: 0.6 }}>{emptyText}</span>}
    </Box>
  );
}
