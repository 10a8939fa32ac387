import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatHash, parseHash, type ViewState } from '../../src/ui/urlState';

describe('the view in the address', () => {
  it('writes only what differs from the default, and reads back the same view', () => {
    expect(formatHash(DEFAULT_VIEW)).toBe('');
    const v: ViewState = {
      ...DEFAULT_VIEW,
      severities: ['high', 'low'],
      variation: 'website_upload',
      statuses: ['new', 'investigating'],
      host: '10.0.0.1',
      domain: 'bad&cdn=x.top',
      text: 'api_post #1',
      from: 20_711,
      to: 20_714,
      sortKey: 'firstSeen',
      sortDir: 'asc',
      groupBy: 'pair',
      alert: 'website_upload|10.0.0.1|curl|x.top|2026-09-15T00:00:00.000Z',
    };
    const hash = formatHash(v);
    expect(hash).toMatch(
      /^#sev=high%2Clow&type=website_upload&status=new%2Cinvestigating&host=10\.0\.0\.1&domain=bad%26cdn%3Dx\.top&q=api_post\+%231&from=2026-09-15&to=2026-09-18&sort=firstSeen\.asc&group=pair&alert=/,
    );
    expect(parseHash(hash)).toEqual(v);
  });

  it('reads a damaged or hand-written hash as the default wherever it says nothing valid', () => {
    expect(parseHash('#sev=urgent,high&type=nope&sort=colour.up&from=yesterday&group=yes')).toEqual({
      ...DEFAULT_VIEW,
      severities: ['high'],
    });
    expect(parseHash('')).toEqual(DEFAULT_VIEW);
  });
});
