import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/util/errorMessage';
import { resolveSettings, type Settings } from '../core/settings/settings';
import { UsageError } from './args';

/** `--settings FILE.json` and `--tz ZONE` on top of the defaults; a state's settings when neither is given. */
export function settingsFromArgs(values: Record<string, string | undefined>, stateSettings: Settings | null): Settings {
  let settingsInput: Record<string, unknown> = {};
  if (values.settings !== undefined) {
    let text: string;
    try {
      text = readFileSync(values.settings, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read settings file ${values.settings}: ${errorMessage(e)}`);
    }
    try {
      settingsInput = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`settings file ${values.settings} is not valid JSON: ${errorMessage(e)}`);
    }
  }
  if (values.tz !== undefined) settingsInput = { ...settingsInput, timeZone: values.tz };
  try {
    const own = values.settings !== undefined || values.tz !== undefined;
    return stateSettings !== null && !own ? stateSettings : resolveSettings(settingsInput);
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
}
