/** The default lists (docs/detection.md "Lists"). The user can edit every list in the settings. */

export const TEXT_SHARE_SITES: readonly string[] = [
  'pastebin.com', 'pastebin.pl', 'paste.ee', 'pastetext.net', 'hastebin.com', 'hastebin.skyra.pw',
  'ghostbin.com', 'ghostbin.co', 'rentry.co', 'rentry.org', 'controlc.com', 'dpaste.com', 'dpaste.org',
  'zerobin.net', '0bin.net', 'paste.nrecom.net', 'paste4btc.com', 'pastecode.dev', 'nopaste.net',
  'paste.ofcode.org', 'paste.rs', 'paste.wakas.org', 'pasteio.com', 'textbin.net', 'justpaste.it',
  'paste.mozilla.org', 'paste.ubuntu.com', 'paste.debian.net', 'gist.github.com',
  'gist.githubusercontent.com', 'privatebin.net', 'pastes.io', 'paste2.org', 'ix.io', 'sprunge.us',
  'termbin.com', 'clbin.com', 'bpa.st', 'pastie.org', 'ideone.com', 'notes.io', 'write.as', 'telegra.ph',
];

/** Process image file names (lower case) that are browsers, for endpoint sources. */
export const BROWSER_PROCESSES: readonly string[] = [
  'chrome.exe', 'msedge.exe', 'firefox.exe', 'iexplore.exe', 'opera.exe', 'brave.exe', 'vivaldi.exe',
  'safari', 'chrome', 'chromium', 'chromium-browser', 'google chrome', 'firefox', 'firefox-esr',
  'msedge', 'microsoft edge', 'microsoftedge.exe', 'microsoftedgecp.exe', 'opera', 'brave', 'vivaldi',
  'waterfox.exe', 'librewolf.exe',
];

/** Desktop apps built on a browser engine, matched as whole product tokens (`Slack/4.33`). */
export const APP_TOKENS: readonly string[] = [
  'Slack', 'Teams', 'discord', 'Code', 'Spotify', 'Notion', 'Obsidian', 'WhatsApp', 'Signal', 'Zoom',
  'Postman', 'Figma', 'Mattermost', 'Element', 'Skype',
];
