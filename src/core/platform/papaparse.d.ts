// The part of PapaParse that core uses (src/core/sources/csvLine.ts). Core's
// TypeScript project maps 'papaparse' here because @types/papaparse pulls in
// Node's types, which core must not see; the other projects check the same
// code against @types/papaparse.

declare namespace Papa {
  interface ParseError {
    message: string;
  }
  interface ParseResult<T> {
    data: T[];
    errors: ParseError[];
  }
  interface ParserConfig {
    delimiter: string;
    newline: string;
    quoteChar: string;
  }
  class Parser {
    constructor(config: ParserConfig);
    parse(input: string, baseIndex: number, ignoreLastRow: boolean): unknown;
  }
}

declare const Papa: { Parser: typeof Papa.Parser };
export default Papa;
