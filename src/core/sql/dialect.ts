import type { ColumnType } from './eventRow';

export type DialectName = 'duckdb' | 'postgres' | 'trino' | 'spark';
export const DIALECT_NAMES: readonly DialectName[] = ['duckdb', 'postgres', 'trino', 'spark'];

/**
 * What differs between the engines the detection SQL is written for. Every
 * other part of the query is one text for all of them (detectionSql.ts).
 */
export interface Dialect {
  name: DialectName;
  /** A quoted identifier. */
  ident(name: string): string;
  /**
   * A text expression compared in byte order (UTF-8 byte order is code-point
   * order), as the built-in engine's `compareCompact` compares strings.
   */
  bytewise(expr: string): string;
  /** The column type for CREATE TABLE. */
  type(t: ColumnType): string;
  /** Comment lines printed above the query: what the engine needs told. */
  notes: readonly string[];
}

const doubleQuoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const STANDARD_TYPES: Readonly<Record<ColumnType, string>> = { int: 'BIGINT', flag: 'INTEGER', real: 'DOUBLE', text: 'VARCHAR' };

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  duckdb: {
    name: 'duckdb',
    ident: doubleQuoted,
    // DuckDB's default collation is binary.
    bytewise: (e) => e,
    type: (t) => STANDARD_TYPES[t],
    notes: ['DuckDB (tested with 1.5): WITH RECURSIVE, no depth limit; strings compare in byte order by default.'],
  },
  postgres: {
    name: 'postgres',
    ident: doubleQuoted,
    // The database's collation may be linguistic (en_US.UTF-8): order by bytes explicitly.
    bytewise: (e) => `${e} COLLATE "C"`,
    type: (t) => (t === 'real' ? 'DOUBLE PRECISION' : t === 'text' ? 'TEXT' : STANDARD_TYPES[t]),
    notes: ['PostgreSQL (tested with 15): WITH RECURSIVE, no depth limit; text ordered with COLLATE "C" (byte order).'],
  },
  trino: {
    name: 'trino',
    ident: doubleQuoted,
    // Trino compares varchar by its UTF-8 bytes.
    bytewise: (e) => e,
    type: (t) => STANDARD_TYPES[t],
    notes: [
      "Trino 4xx: recursive WITH. Not run on a live cluster by Offbrowse's tests.",
      'Trino stops a recursion at the session property max_recursion_depth (10 by default); the recursion',
      'here goes as deep as the most alerts of one (variation, host, client, domain), so raise it first:',
      'SET SESSION max_recursion_depth = 1000;',
    ],
  },
  spark: {
    name: 'spark',
    ident: (name) => `\`${name.replace(/`/g, '``')}\``,
    // Spark's default collation, UTF8_BINARY, is byte order.
    bytewise: (e) => e,
    type: (t) => (t === 'text' ? 'STRING' : t === 'flag' ? 'INT' : STANDARD_TYPES[t]),
    notes: [
      'Spark SQL 4.1.0 or later: recursive CTEs (WITH RECURSIVE … UNION ALL) came in Apache Spark 4.1.0',
      "(SPARK-24497); Spark 4.0 cannot parse this query. Not run on a live cluster by Offbrowse's tests.",
      'Spark stops a recursion at spark.sql.cteRecursionLevelLimit levels (100 by default) and at',
      'spark.sql.cteRecursionRowLimit rows (1000000 by default); the recursion here goes as deep as the most',
      'alerts of one (variation, host, client, domain) and holds one row per alert, so raise the first:',
      'SET spark.sql.cteRecursionLevelLimit = 1000;',
    ],
  },
};

export function dialectNamed(name: string): Dialect | null {
  return (DIALECT_NAMES as readonly string[]).includes(name) ? DIALECTS[name as DialectName] : null;
}

const NAME_PART = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A table name as given by the user (`events`, `logs.offbrowse_events`),
 * quoted part by part; null when it is not a plain dotted name, so nothing
 * but a name ever reaches the SQL.
 */
export function tableName(d: Dialect, name: string): string | null {
  const parts = name.split('.');
  if (parts.length > 3 || !parts.every((p) => NAME_PART.test(p))) return null;
  return parts.map((p) => d.ident(p)).join('.');
}
