/**
 * A tiny arithmetic language for co-design templates: numbers (1e6, 0.5),
 * parameter names, + - * / ^, parentheses, unary minus and a few functions
 * (min, max, ceil, floor, sqrt, log2, pow). Profiles are data, so formulas
 * are parsed here, never handed to eval.
 */
export type Formula =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string }
  | { kind: 'neg'; arg: Formula }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/' | '^'; left: Formula; right: Formula }
  | { kind: 'call'; fn: string; args: Formula[] };

const FUNCTIONS: Readonly<Record<string, { arity: number | 'many'; fn: (...xs: number[]) => number }>> = {
  min: { arity: 'many', fn: Math.min },
  max: { arity: 'many', fn: Math.max },
  ceil: { arity: 1, fn: Math.ceil },
  floor: { arity: 1, fn: Math.floor },
  sqrt: { arity: 1, fn: Math.sqrt },
  log2: { arity: 1, fn: Math.log2 },
  pow: { arity: 2, fn: Math.pow },
};

export class FormulaError extends Error {}

type Token = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^(),]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new FormulaError(`unexpected character '${src.slice(pos).trim()[0]}' at position ${pos + 1}`);
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'id', v: m[2] });
    else out.push({ t: 'op', v: m[3]! });
    pos = re.lastIndex;
  }
  return out;
}

/** Parse a formula; throws FormulaError with a short reason. */
export function parseFormula(src: string): Formula {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new FormulaError(`expected '${v}'`);
    i++;
  };
  // expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ; unary := '-' unary | power ; power := atom ('^' unary)?
  const expr = (): Formula => {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (toks[i++] as { v: '+' | '-' }).v;
      left = { kind: 'bin', op, left, right: term() };
    }
    return left;
  };
  const term = (): Formula => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (toks[i++] as { v: '*' | '/' }).v;
      left = { kind: 'bin', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Formula => {
    if (isOp('-')) {
      i++;
      return { kind: 'neg', arg: unary() };
    }
    if (isOp('+')) {
      i++;
      return unary();
    }
    const base = atom();
    if (isOp('^')) {
      i++;
      return { kind: 'bin', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const atom = (): Formula => {
    const tok = toks[i++];
    if (!tok) throw new FormulaError('unexpected end of formula');
    if (tok.t === 'num') return { kind: 'num', value: tok.v };
    if (tok.t === 'id') {
      if (!isOp('(')) return { kind: 'var', name: tok.v };
      const spec = FUNCTIONS[tok.v];
      if (!spec) throw new FormulaError(`unknown function '${tok.v}' (known: ${Object.keys(FUNCTIONS).join(', ')})`);
      i++;
      const args: Formula[] = [];
      if (!isOp(')')) {
        args.push(expr());
        while (isOp(',')) {
          i++;
          args.push(expr());
        }
      }
      expect(')');
      if (spec.arity !== 'many' ? args.length !== spec.arity : args.length === 0) {
        throw new FormulaError(`${tok.v}() takes ${spec.arity === 'many' ? 'at least 1' : spec.arity} argument(s), got ${args.length}`);
      }
      return { kind: 'call', fn: tok.v, args };
    }
    if (tok.v === '(') {
      const inner = expr();
      expect(')');
      return inner;
    }
    throw new FormulaError(`unexpected '${tok.v}'`);
  };
  if (toks.length === 0) throw new FormulaError('empty formula');
  const f = expr();
  if (i < toks.length) throw new FormulaError(`unexpected '${(toks[i] as { v: unknown }).v}' after the end of the formula`);
  return f;
}

/** Names of the variables a formula reads. */
export function formulaVariables(f: Formula, into = new Set<string>()): Set<string> {
  switch (f.kind) {
    case 'var': into.add(f.name); break;
    case 'neg': formulaVariables(f.arg, into); break;
    case 'bin': formulaVariables(f.left, into); formulaVariables(f.right, into); break;
    case 'call': f.args.forEach((a) => formulaVariables(a, into)); break;
  }
  return into;
}

export function evaluateFormula(f: Formula, vars: Readonly<Record<string, number>>): number {
  switch (f.kind) {
    case 'num': return f.value;
    case 'var': {
      const v = vars[f.name];
      if (v === undefined) throw new FormulaError(`unknown parameter '${f.name}'`);
      return v;
    }
    case 'neg': return -evaluateFormula(f.arg, vars);
    case 'bin': return binary(f.op, evaluateFormula(f.left, vars), evaluateFormula(f.right, vars));
    case 'call': return FUNCTIONS[f.fn]!.fn(...f.args.map((a) => evaluateFormula(a, vars)));
  }
}

function binary(op: '+' | '-' | '*' | '/' | '^', a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '^': return a ** b;
  }
}

/** Parse and evaluate in one step. */
export function evaluate(src: string, vars: Readonly<Record<string, number>>): number {
  return evaluateFormula(parseFormula(src), vars);
}
