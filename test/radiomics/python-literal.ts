/**
 * A small parser for Python literals as PyRadiomics writes them in its
 * diagnostics (dicts, lists, tuples, strings, numbers, True/False/None).
 */
export type PyValue = null | boolean | number | string | PyValue[] | { [k: string]: PyValue };

export function parsePythonLiteral(text: string): PyValue {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`python literal: ${what} at ${i} in ${text.slice(0, 80)}`);
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: { [k: string]: PyValue } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        const k = value();
        ws();
        if (text[i++] !== ':') fail('expected :');
        out[String(k)] = value();
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') {
            i++;
            return out;
          }
          continue;
        }
        if (text[i++] === '}') return out;
        fail('expected , or }');
      }
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const out: PyValue[] = [];
      ws();
      if (text[i] === close) {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === close) {
            i++;
            return out;
          }
          continue;
        }
        if (text[i++] === close) return out;
        fail(`expected , or ${close}`);
      }
    }
    if (c === "'" || c === '"') {
      i++;
      let s = '';
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') i++;
        s += text[i++];
      }
      i++;
      return s;
    }
    const m = /^(True|False|None|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(text.slice(i));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}
