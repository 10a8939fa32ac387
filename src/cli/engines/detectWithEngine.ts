import type { Detection } from '../../core/alerts/alert';
import type { Settings } from '../../core/settings/settings';
import { alertsFromRows, ResultError } from '../../core/sql/resultAlerts';
import { applySuppression } from '../../core/alerts/suppress';
import { EngineError, type EngineInput, type EngineResult } from './engine';

const DAY_MS = 86_400_000;

export type EngineSpec = { kind: 'duckdb' } | { kind: 'postgres'; url: string };

/** `--engine duckdb` or `--engine postgres://USER[:PASSWORD]@HOST:PORT/DB`; null for anything else. */
export function parseEngine(text: string): EngineSpec | null {
  if (text === 'duckdb') return { kind: 'duckdb' };
  if (/^postgres(ql)?:\/\//i.test(text)) return { kind: 'postgres', url: text };
  return null;
}

/**
 * The Detection of the built-in engine, from an engine's SQL result, so the
 * output code is shared. The engine ran without the suppression list
 * (detectionSql.ts `unsuppressed`); it is applied here, as the built-in
 * engine applies it.
 */
export function detectionFromResult(result: EngineResult, settings: Settings): Detection {
  let alerts;
  try {
    alerts = alertsFromRows(result.rows);
  } catch (e) {
    if (e instanceof ResultError) throw new EngineError(e.message);
    throw e;
  }
  const { dataStart } = result;
  const shown = applySuppression(alerts, settings.suppress);
  return {
    alerts: shown.alerts,
    suppressed: shown.hits,
    dataStart,
    activeFrom: dataStart === null ? null : dataStart + settings.activationDays * DAY_MS,
    inactiveEvents: result.inactiveEvents,
  };
}

export async function detectWithEngine(spec: EngineSpec, input: EngineInput, settings: Settings): Promise<Detection> {
  let result: EngineResult;
  if (spec.kind === 'duckdb') {
    const { runDuckDb } = await import('./duckdb');
    result = await runDuckDb(input, settings);
  } else {
    const { runPostgres } = await import('./postgres');
    result = await runPostgres(spec.url, input, settings);
  }
  return detectionFromResult(result, settings);
}
