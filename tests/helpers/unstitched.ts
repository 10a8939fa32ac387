import type { CompactEvent } from '../../src/core/events/columns';

/** The fields a compact event made in a test has when no source gave its connection and nothing stitched it. */
export const UNSTITCHED: Pick<
  CompactEvent,
  'sourceAddress' | 'sourcePort' | 'destinationAddress' | 'destinationPort' | 'process' | 'uaClaimsBrowser'
> = Object.freeze({
  sourceAddress: '',
  sourcePort: null,
  destinationAddress: '',
  destinationPort: null,
  process: null,
  uaClaimsBrowser: false,
});
