// Works around a jtreesitter 0.25.5/0.25.6 bug: Query's predicate reader does not reset its per-predicate
// step counter, so a predicate with fewer arguments than an earlier one in the same pattern is misread
// ("#set! expects 1-2 arguments, got 5"). Predicates are read correctly when their argument counts never
// decrease within a pattern, and tree-sitter attaches every predicate to its whole pattern whatever its
// position, so a stable sort by argument count changes nothing else. Patterns that are already in order
// (almost all of them) stay byte-identical.

/** Returns `source` with the predicates of each top-level pattern stably sorted by argument count. */
export function orderPredicates(source) {
  const patterns = scanPredicates(source);
  const replacements = [];
  for (const predicates of patterns) {
    const sorted = [...predicates].sort((a, b) => a.argCount - b.argCount); // Array.sort is stable
    sorted.forEach((moved, slot) => {
      if (moved !== predicates[slot]) {
        replacements.push({ start: predicates[slot].start, end: predicates[slot].end, text: source.slice(moved.start, moved.end) });
      }
    });
  }
  if (replacements.length === 0) return source;
  replacements.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const r of replacements) {
    out += source.slice(at, r.start) + r.text;
    at = r.end;
  }
  return out + source.slice(at);
}

/** Lists, per top-level pattern, its predicates `(#name arg...)` in source order. */
function scanPredicates(source) {
  const patterns = [];
  let current = [];
  let depth = 0;
  let predicate = null; // the predicate being read, if any
  let i = 0;
  const fail = (message) => {
    const line = source.slice(0, i).split('\n').length;
    throw new Error(`query line ${line}: ${message}`);
  };
  while (i < source.length) {
    const c = source[i];
    if (c === ';') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '"') {
      i++;
      while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
      if (i >= source.length) fail('unterminated string');
      i++;
      if (predicate) predicate.argCount++;
    } else if (c === '(' || c === '[') {
      if (predicate) fail('unexpected nesting inside a predicate');
      let j = i + 1;
      while (/\s/.test(source[j] ?? '')) j++;
      if (c === '(' && source[j] === '#') {
        predicate = { start: i, end: -1, argCount: -1, depth }; // -1: the predicate name is not an argument
      }
      depth++;
      i++;
    } else if (c === ')' || c === ']') {
      depth--;
      if (depth < 0) fail(`unbalanced '${c}'`);
      i++;
      if (predicate && depth === predicate.depth) {
        predicate.end = i;
        current.push(predicate);
        predicate = null;
      }
      if (depth === 0) {
        if (current.length > 0) patterns.push(current);
        current = [];
      }
    } else if (/\s/.test(c)) {
      i++;
    } else {
      while (i < source.length && !/[\s()[\]";]/.test(source[i])) i++;
      if (predicate) predicate.argCount++;
    }
  }
  if (depth !== 0) fail('unbalanced parentheses at end of query');
  return patterns;
}
