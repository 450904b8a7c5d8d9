import { describe, expect, it } from 'vitest';
import { forPrinting } from './pdf-options';

describe('HTML handed to the printer', () => {
  it('adds one screen-only rule inside the head and leaves the rest of the document as it was', () => {
    const html = '<!DOCTYPE html><html><head><title>x</title></head><body><p>A-001</p></body></html>';
    const out = forPrinting(html);
    expect(out).toBe('<!DOCTYPE html><html><head><style media="screen">body { display: none; }</style><title>x</title></head><body><p>A-001</p></body></html>');
    expect(forPrinting('<p>no head</p>')).toBe('<style media="screen">body { display: none; }</style><p>no head</p>');
  });
});
