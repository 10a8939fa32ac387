export class UsageError extends Error {}

export interface Args {
  flags: Record<string, boolean>;
  values: Record<string, string | undefined>;
  rest: string[];
}

/** `--flag`, `--name value` or `--name=value`, and positional arguments; `--` ends options. */
export function parseArgs(argv: string[], spec: { flags: string[]; values: string[] }): Args {
  const out: Args = { flags: {}, values: {}, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.rest.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      out.rest.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (spec.flags.includes(name) && eq === -1) {
      out.flags[name] = true;
    } else if (spec.values.includes(name)) {
      const value = eq === -1 ? argv[++i] : a.slice(eq + 1);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      out.values[name] = value;
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return out;
}
